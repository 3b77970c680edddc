package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConnectionPoolTest {

  private static TransactionResult send(ClientFixture f, int i) {
    String body = "Subject: " + i + "\r\n\r\n.\r\n";
    return f.send(message("s@x.test", List.of("r" + i + "@y.test"), body));
  }

  @Test
  void sequentialMessagesShareOneConnectionWithoutRset() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(2, Duration.ofMinutes(1))) {
      for (int i = 0; i < 10; i++) {
        assertTrue(send(f, i).all(Outcome.DELIVERED));
      }

      assertEquals(10, f.host.awaitMessages(10, WAIT).size());
      assertEquals(1, f.host.connectionsAccepted());
      // RFC 5321 4.1.4: a completed transaction leaves the session ready for the next MAIL.
      assertEquals(0, f.host.count("RSET"));
      assertEquals(1, f.host.count("EHLO"));
      assertEquals(1, f.pool.idleCount(f.host.destination().key()));
    }
  }

  @Test
  void concurrentThreadsMakeFewerConnectionsThanMessages() throws Exception {
    int threads = 4;
    int perThread = 10;
    try (ClientFixture f = ClientFixture.withPool(threads, Duration.ofMinutes(1))) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int base = t * perThread;
          results.add(
              pool.submit(
                  () -> {
                    boolean ok = true;
                    for (int i = 0; i < perThread; i++) {
                      ok &= send(f, base + i).all(Outcome.DELIVERED);
                    }
                    return ok;
                  }));
        }
        for (Future<Boolean> r : results) {
          assertTrue(r.get());
        }
      } finally {
        pool.shutdownNow();
      }

      assertEquals(threads * perThread, f.host.awaitMessages(threads * perThread, WAIT).size());
      int connections = f.host.connectionsAccepted();
      assertTrue(connections >= 1 && connections <= threads, connections + " connections");
    }
  }

  @Test
  void idleConnectionsAreQuitAfterTheIdleTimeout() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(2, Duration.ofMillis(200))) {
      assertTrue(send(f, 1).all(Outcome.DELIVERED));

      f.host.awaitCommands("QUIT", 1, WAIT);
      f.host.awaitConnectionsOpen(0, WAIT);
      assertEquals(0, f.pool.idleCount(f.host.destination().key()));

      assertTrue(send(f, 2).all(Outcome.DELIVERED));
      assertEquals(2, f.host.connectionsAccepted());
      assertEquals(0, f.host.count("RSET"), "a fresh connection needs no RSET");
    }
  }

  @Test
  void aReusedConnectionThatSays421AtOnceIsReplacedAndTheMessageGoesOverANewOne() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(2, Duration.ofMinutes(1))) {
      assertTrue(send(f, 1).all(Outcome.DELIVERED));
      f.host.onceOn(Verb.MAIL, "421 4.4.2 Idle too long, closing");

      assertTrue(send(f, 2).all(Outcome.DELIVERED));

      assertEquals(2, f.host.connectionsAccepted());
      assertEquals(2, f.host.awaitMessages(2, WAIT).get(1).connection());
    }
  }

  @Test
  void aReusedConnectionTheServerDropsAtMailIsReplaced() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(2, Duration.ofMinutes(1))) {
      assertTrue(send(f, 1).all(Outcome.DELIVERED));
      f.host.dropOnceOn(Verb.MAIL);

      assertTrue(send(f, 2).all(Outcome.DELIVERED));
      assertEquals(2, f.host.connectionsAccepted());
    }
  }

  @Test
  void aFreshConnectionThatSays421IsNotTriedAgain() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(2, Duration.ofMinutes(1))) {
      f.host.onceOn(Verb.MAIL, "421 4.3.2 Shutting down");

      assertTrue(send(f, 1).all(Outcome.DEFERRED));

      assertEquals(1, f.host.connectionsAccepted());
    }
  }

  @Test
  void atMostTheDestinationLimitOfConnectionsIsOpened() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(2, Duration.ofMinutes(1), 3)) {
      List<java.util.concurrent.CompletableFuture<TransactionResult>> all = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String body = "Subject: " + i + "\r\n\r\nx\r\n";
        all.add(f.mailer.deliverAsync(f.host.destination(), message("s@x.test", List.of("r" + i + "@y.test"), body)));
      }
      for (var r : all) {
        assertTrue(r.get().all(Outcome.DELIVERED));
      }

      assertEquals(30, f.host.awaitMessages(30, WAIT).size());
      assertTrue(f.host.connectionsAccepted() <= 3, f.host.connectionsAccepted() + " connections");
    }
  }

  @Test
  void withoutIdleRoomEachMessageGetsItsOwnConnectionAndQuit() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(0, Duration.ofMinutes(1))) {
      for (int i = 0; i < 3; i++) {
        assertTrue(send(f, i).all(Outcome.DELIVERED));
      }

      assertEquals(3, f.host.connectionsAccepted());
      f.host.awaitCommands("QUIT", 3, WAIT);
    }
  }

  @Test
  void closingThePoolQuitsIdleConnections() throws Exception {
    try (ClientFixture f = ClientFixture.withPool(2, Duration.ofMinutes(1))) {
      assertTrue(send(f, 1).all(Outcome.DELIVERED));

      f.pool.close();

      f.host.awaitCommands("QUIT", 1, WAIT);
      f.host.awaitConnectionsOpen(0, WAIT);
    }
  }
}
