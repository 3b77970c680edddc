package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.delivery.client.ConnectionPool;
import io.mailstream.delivery.client.NextHops;
import io.mailstream.delivery.client.SmtpConnector;
import io.mailstream.delivery.client.SmtpMailer;
import io.mailstream.delivery.client.Timeouts;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.delivery.testkit.Verb;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.state.RetryStore;
import io.mailstream.queue.testkit.StoredBodies;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.RecordFailedException;
import io.mailstream.queue.topic.RecordFailures;
import io.mailstream.queue.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery worker against a real broker and a real SMTP server: outcomes, retries, restarts. */
class DeliveryWorkerTest {
  static final String RECEIVED = "Received: from client.test by relay.test; Sun, 22 Nov 2026 03:00:00 +0000\r\n";
  static final byte[] BODY =
      "From: alice@dmz.example\r\nSubject: t\r\n\r\n.dot line\r\n\u00e9t\u00e9\r\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  FakeSmartHost host;
  SmtpConnector connector;
  ConnectionPool pool;
  Topics topics;
  final List<AutoCloseable> workers = new ArrayList<>();
  final List<Thread> threads = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    host = FakeSmartHost.start();
    connector = new SmtpConnector("relay.test", Timeouts.uniform(Duration.ofSeconds(5)));
    pool = new ConnectionPool(2, Duration.ofSeconds(30));
    topics = new Topics(TestKafka.freshTopics(2, false));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable w : workers) {
      w.close();
    }
    for (Thread t : threads) {
      t.join();
    }
    pool.close();
    connector.close();
    host.close();
  }

  DeliveryWorker startWorker(RetryStore store, Duration retry) {
    return startWorker(store, new RetryPolicy(List.of(retry), Duration.ofDays(5)));
  }

  DeliveryWorker startWorker(RetryStore store, RetryPolicy policy) {
    SmtpMailer mailer = new SmtpMailer(connector, pool, NextHops.direct());
    DeliveryWorker w = DeliveryWorker.builder(TestKafka.bootstrap(), topics, r -> mailer, policy, store).build();
    Thread t = new Thread(w, "delivery-test");
    t.start();
    workers.add(w);
    threads.add(t);
    return w;
  }

  RecipientRouted route(String queueId, List<HeaderEdit> edits, String... rcpts) throws Exception {
    BodyRef ref = StoredBodies.store(topics, queueId, BODY);
    List<EnvelopeRecipient> recipients = new ArrayList<>();
    for (String r : rcpts) {
      recipients.add(EnvelopeRecipient.of(MailAddress.parse(r)));
    }
    MessageAccepted m = new MessageAccepted(queueId, System.currentTimeMillis(), new MailAddress("alice", "dmz.example"),
        recipients, new ClientInfo("client.test", "127.0.0.1", null, "ESMTP", null), null, RECEIVED, ref,
        MessageAccepted.DsnRequest.NONE);
    RecipientRouted routed = new RecipientRouted(m, m.sender(), host.destination(), recipients, edits, System.currentTimeMillis());
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.routed(), queueId + "|x", EventCodec.encode(routed))).get();
    }
    return routed;
  }

  List<MailEvent> outcomes(int atLeast) {
    List<MailEvent> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.consumer(TestKafka.bootstrap(), "test", "t-" + UUID.randomUUID(), "test-reader"))) {
      c.subscribe(List.of(topics.outcomes()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < atLeast && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(r -> out.add(EventCodec.decode(r.value())));
      }
    }
    return out;
  }

  @Test
  void deliversBodyExactlyWithTraceHeaderAndHeaderEditsSpliced() throws Exception {
    startWorker(RetryStore.open(dir), Duration.ofSeconds(1));
    // Rewrite "alice@dmz.example" in the From: header (offset 6, 17 octets), as masquerading would.
    route("q1", List.of(new HeaderEdit(6, 17, "alice@example.com")), "bob@corp.example", "carol@corp.example");
    ReceivedMessage got = host.awaitMessages(1, Duration.ofSeconds(30)).get(0);
    String expected = RECEIVED + new String(BODY, StandardCharsets.UTF_8).replace("alice@dmz.example", "alice@example.com");
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), got.data());
    assertEquals(List.of("bob@corp.example", "carol@corp.example"), got.recipients());
    List<MailEvent> events = outcomes(4);
    assertEquals(2, events.stream().filter(e -> e instanceof Delivered).count());
  }

  @Test
  void deferredMessageIsRetriedWithoutBlockingThePartition() throws Exception {
    host.onRcpt("slow@corp.example", "450 4.2.1 mailbox busy");
    startWorker(RetryStore.open(dir), Duration.ofSeconds(2));
    route("q1", List.of(), "slow@corp.example", "fast@corp.example");
    route("q2", List.of(), "next@corp.example");
    // q2 goes through while q1's deferred recipient waits for its retry.
    host.awaitMessages(2, Duration.ofSeconds(30));
    host.resetScript();
    List<ReceivedMessage> all = host.awaitMessages(3, Duration.ofSeconds(30));
    assertEquals(List.of("slow@corp.example"), all.get(2).recipients(), "only the deferred recipient is retried");
    List<MailEvent> events = outcomes(7);
    Deferred deferred = (Deferred) events.stream().filter(e -> e instanceof Deferred).findFirst().orElseThrow();
    assertEquals(450, deferred.reply().code());
    assertEquals(3, events.stream().filter(e -> e instanceof Delivered).count());
  }

  @Test
  void recipientStillDeferredAfterTheQueueLifetimeBounces() throws Exception {
    host.on(Verb.MAIL, "421 4.3.2 smart host busy");
    // A lifetime of 1 s: the first attempt defers, the retry after 2 s still fails and is past it.
    startWorker(RetryStore.open(dir), new RetryPolicy(List.of(Duration.ofSeconds(2)), Duration.ofSeconds(1)));
    route("q1", List.of(), "bob@corp.example");
    List<MailEvent> events = outcomes(4);
    Bounced bounced = (Bounced) events.stream().filter(e -> e instanceof Bounced).findFirst().orElseThrow();
    assertEquals("4.4.7", bounced.reply().status());
    assertTrue(bounced.reply().text().startsWith("Cannot send message for 1 second "), bounced.reply().text());
    assertEquals(1, events.stream().filter(e -> e instanceof Deferred).count(), "deferred once, then bounced");
    assertEquals(0, host.messages().size());
  }

  @Test
  void retryStateSurvivesARestartOnAnEmptyDiskAndDeliversOnce() throws Exception {
    host.on(Verb.MAIL, "421 4.3.2 smart host busy");
    DeliveryWorker first = startWorker(RetryStore.open(dir.resolve("a")), Duration.ofSeconds(3));
    route("q1", List.of(), "bob@corp.example");
    host.awaitCommands("MAIL", 1, Duration.ofSeconds(30));
    Deferred deferred = (Deferred) outcomes(2).stream().filter(e -> e instanceof Deferred).findFirst().orElseThrow();
    first.close();
    threads.get(0).join();
    host.resetScript();

    long restartedAt = System.currentTimeMillis();
    startWorker(RetryStore.open(dir.resolve("b")), Duration.ofSeconds(3)); // new disk: state from the changelog
    host.awaitMessages(1, Duration.ofSeconds(30));
    long deliveredAt = System.currentTimeMillis();
    assertTrue(deliveredAt >= deferred.nextAttemptAtMillis(), "not before its next attempt time");
    assertTrue(restartedAt < deferred.nextAttemptAtMillis() + 3000);
    assertEquals(1, host.messages().size(), "delivered exactly once");
    List<MailEvent> events = outcomes(4);
    assertEquals(1, events.stream().filter(e -> e instanceof Delivered).count());
  }

  /**
   * A message whose delivery throws (a mailer bug, not a refusal) ends each worker with the record
   * named, after the message before it was committed; the third failure sends it to the
   * dead-letter topic with the reason, and the message behind it is delivered. Nothing goes out
   * twice.
   */
  @Test
  void messageThatMakesDeliveryThrowIsDeadLetteredAfterThreeTriesAndThePartitionMovesOn() throws Exception {
    topics = new Topics(TestKafka.freshTopics(1, false)); // one partition: poison is in the way
    SmtpMailer smtp = new SmtpMailer(connector, pool, NextHops.direct());
    io.mailstream.delivery.Mailer breaksOnPoison = (destination, message) -> {
      if (message.queueId().equals("poison")) {
        throw new IllegalArgumentException("mailer cannot handle poison");
      }
      return smtp.deliver(destination, message);
    };
    route("first", List.of(), "a@corp.example");
    route("poison", List.of(), "b@corp.example");
    route("after", List.of(), "c@corp.example");
    RetryStore store = RetryStore.open(dir);
    RetryPolicy policy = new RetryPolicy(List.of(Duration.ofMinutes(1)), Duration.ofDays(5));
    RecordFailures failures = new RecordFailures(3);
    for (int attempt = 1; attempt <= 3; attempt++) {
      DeliveryWorker w = DeliveryWorker.builder(TestKafka.bootstrap(), topics, r -> breaksOnPoison, policy, store)
          .bounces(BounceNotifier.NONE).failures(failures).build();
      RecordFailedException e = assertThrows(RecordFailedException.class, w::run, "attempt " + attempt);
      assertEquals(topics.routed() + "-0@1", e.source());
      assertEquals("poison", e.queueId());
    }
    DeliveryWorker last = DeliveryWorker.builder(TestKafka.bootstrap(), topics, r -> breaksOnPoison, policy, store)
        .bounces(BounceNotifier.NONE).failures(failures).build();
    Thread t = new Thread(last, "delivery-test");
    t.start();
    workers.add(last);
    threads.add(t);
    List<ReceivedMessage> got = host.awaitMessages(2, Duration.ofSeconds(30));
    assertEquals(List.of(List.of("a@corp.example"), List.of("c@corp.example")),
        got.stream().map(ReceivedMessage::recipients).toList(), "first once, before the poison; then the one after");
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.consumer(TestKafka.bootstrap(), "test", "t-" + UUID.randomUUID(), "test-reader"))) {
      c.subscribe(List.of(topics.deadLetter()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (dead.isEmpty() && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(dead::add);
      }
    }
    assertEquals(1, dead.size());
    assertEquals("poison|x", dead.get(0).key());
    String reason = new String(dead.get(0).headers().lastHeader("mailstream.reason").value(), StandardCharsets.UTF_8);
    assertEquals("processing failed 3 times: java.lang.IllegalArgumentException: mailer cannot handle poison", reason);
    assertEquals(2, host.messages().size(), "nothing sent twice");
  }
}
