package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.Withdrawal;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host status cache: a host that does not answer is tried once per interval, not per message. */
@Timeout(60)
class HostStatusTest {
  private static final ReplyRecord REFUSED = SmtpReplies.noAnswer("Cannot connect to [192.0.2.1]: Connection refused");

  @Test
  void aFailedHostIsDownUntilItsBackoffThenProbedOnceAndTheBackoffDoubles() {
    AtomicLong now = new AtomicLong(1_000_000);
    HostStatus hosts = new HostStatus(Duration.ofMinutes(1), Duration.ofMinutes(3), now::get);

    hosts.failed("k", REFUSED);
    assertTrue(hosts.blocked("k").orElseThrow().toString().startsWith("451 4.4.1 Host k is down since"));
    now.addAndGet(60_000);
    assertTrue(hosts.blocked("k").isEmpty(), "the probe");
    assertTrue(hosts.blocked("k").isPresent(), "only one probe per interval");
    hosts.failed("k", REFUSED);
    now.addAndGet(60_000);
    assertTrue(hosts.blocked("k").isPresent(), "the back-off doubled to 2 minutes");
    now.addAndGet(60_000);
    assertTrue(hosts.blocked("k").isEmpty());
    hosts.succeeded("k");
    assertFalse(hosts.isDown("k"));
  }

  @Test
  void tlsAuthAndPermanentFailuresDoNotMarkAHostDown() {
    HostStatus hosts = new HostStatus(Duration.ofMinutes(1), Duration.ofMinutes(3));
    hosts.failed("k", new ReplyRecord(403, "4.7.0", List.of("TLS handshake failed")));
    hosts.failed("k", new ReplyRecord(554, "5.7.1", List.of("Go away")));
    assertFalse(hosts.isDown("k"));
  }

  @Test
  void mailForAHostThatNeverAnswersIsDeferredWhileASecondDestinationFlows() throws Exception {
    Timeouts timeouts = ClientFixture.SHORT.withGreeting(Duration.ofSeconds(4));
    HostStatus hosts = new HostStatus(Duration.ofMinutes(1), Duration.ofMinutes(30));
    try (ClientFixture f = ClientFixture.withHostStatus(timeouts, hosts, Duration.ofSeconds(1));
        FakeSmartHost dead = FakeSmartHost.start()) {
      dead.silentOn(Verb.GREETING);
      List<CompletableFuture<TransactionResult>> toDead = new ArrayList<>();
      List<CompletableFuture<TransactionResult>> toLive = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        toDead.add(f.mailer.deliverAsync(dead.destination(), message("s@x.test", List.of("d" + i + "@y.test"), "x\r\n")));
        toLive.add(f.mailer.deliverAsync(f.host.destination(), message("s@x.test", List.of("l" + i + "@y.test"), "x\r\n")));
      }

      long start = System.nanoTime();
      for (var r : toLive) {
        assertTrue(r.get().all(Outcome.DELIVERED), r.get().toString());
      }
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0,
          "the working destination does not wait for the dead one");
      for (var r : toDead) {
        assertTrue(r.get().all(Outcome.DEFERRED), r.get().toString());
      }
      assertEquals(1, dead.connectionsAccepted(), "one connection attempt for the dead host, not one per message");
      // The attempt fails at the greeting time-out, after the waiting messages gave up on it.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!hosts.isDown(dead.destination().key())) {
        assertTrue(System.nanoTime() < deadline, "the dead host is marked down");
        Thread.onSpinWait();
      }

      TransactionResult later = f.mailer.deliver(dead.destination(), message("s@x.test", List.of("z@y.test"), "x\r\n"));
      assertTrue(later.recipients().get(0).reply().toString().contains("is down since"), later.toString());
      assertEquals(1, dead.connectionsAccepted(), "deferred without connecting");
      assertEquals(50, f.host.awaitMessages(50, WAIT).size());
    }
  }

  @Test
  void anAttemptWaitingForAHostThatNeverGreetsIsWithdrawnAtOnceAndALaterConnectionIsNotUsedForIt() throws Exception {
    Timeouts timeouts = ClientFixture.SHORT.withGreeting(Duration.ofSeconds(30));
    HostStatus hosts = new HostStatus(Duration.ofMinutes(1), Duration.ofMinutes(30));
    try (ClientFixture f = ClientFixture.withHostStatus(timeouts, hosts, Duration.ofSeconds(30));
        FakeSmartHost dead = FakeSmartHost.start()) {
      dead.silentOn(Verb.GREETING);
      Withdrawal withdrawal = new Withdrawal();
      CompletableFuture<TransactionResult> waiting =
          f.mailer.deliverAsync(dead.destination(), message("s@x.test", List.of("d@y.test"), "x\r\n"), withdrawal);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (dead.connectionsAccepted() == 0) {
        assertTrue(System.nanoTime() < deadline, "the connection to the silent host is made");
        Thread.onSpinWait();
      }
      assertFalse(waiting.isDone(), "still waiting for the greeting");

      long start = System.nanoTime();
      withdrawal.withdraw();
      ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
      assertTrue(Withdrawal.isWithdrawn(e.getCause()), e.toString());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "not the greeting time-out");

      // A withdrawal before a connection is free: the connection comes and goes back unused.
      Withdrawal early = new Withdrawal();
      early.withdraw();
      CompletableFuture<TransactionResult> taken =
          f.mailer.deliverAsync(f.host.destination(), message("s@x.test", List.of("l@y.test"), "x\r\n"), early);
      e = assertThrows(ExecutionException.class, () -> taken.get(5, TimeUnit.SECONDS));
      assertTrue(Withdrawal.isWithdrawn(e.getCause()), e.toString());
      assertTrue(f.mailer.deliver(f.host.destination(), message("s@x.test", List.of("m@y.test"), "x\r\n"))
          .all(Outcome.DELIVERED));
      f.host.awaitMessages(1, WAIT);
      assertEquals(1, f.host.messages().size(), "only the message that was not withdrawn went out: " + f.host.messages());
    }
  }
}
