package io.mailstream.router.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.RouterSettings;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.RecordFailedException;
import io.mailstream.queue.topic.RecordFailures;
import io.mailstream.queue.topic.Topics;
import io.mailstream.router.route.HeaderSource;
import io.mailstream.router.route.Router;
import io.mailstream.router.route.RoutingPlan;
import io.mailstream.router.route.RuleRouter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router worker against a real broker: grouping, keys, poison records, exactly-once. */
class RouterWorkerTest {

  private static MessageAccepted message(String id, String... rcpts) {
    List<EnvelopeRecipient> recipients =
        java.util.Arrays.stream(rcpts)
            .map(r -> EnvelopeRecipient.of(new MailAddress(r.split("@")[0], r.split("@")[1])))
            .toList();
    return new MessageAccepted(
        id, System.currentTimeMillis(), new MailAddress("web", "dmz.example"), recipients,
        new ClientInfo("web1", "127.0.0.1", null, "ESMTP", null), null, "Received: x\r\n",
        new BodyRef(0, List.of(0L), 10), MessageAccepted.DsnRequest.NONE);
  }

  static java.util.function.Function<io.mailstream.router.route.HeaderSource, io.mailstream.router.route.Router> router(
      MailstreamConfig config) throws Exception {
    RuleSet rules = RuleSet.load(config);
    return headers -> new RuleRouter(rules, headers);
  }

  @Test
  void routesLocalAndSmartHostRecipientsAndDeadLettersPoison() throws Exception {
    MailstreamConfig config =
        new ConfigBuilder().hostname("relay.test").smartHost("[smtp.corp.example]:587").localDomains(List.of("dmz.example")).build();
    Topics topics = new Topics(TestKafka.freshTopics());
    String bootstrap = TestKafka.bootstrap();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.accepted(), "q1",
          EventCodec.encode(message("q1", "a@corp.example", "root@dmz.example", "b@other.example")))).get();
      p.send(new ProducerRecord<>(topics.accepted(), "bad", "not an event".getBytes(StandardCharsets.UTF_8))).get();
    }
    RouterWorker worker = new RouterWorker(bootstrap, topics, router(config), "w1");
    Thread t = new Thread(worker);
    t.start();
    try {
      List<ConsumerRecord<String, byte[]>> routed = TopicReader.read(bootstrap, topics.routed(), 2, Duration.ofSeconds(30));
      assertEquals(2, routed.size());
      List<RecipientRouted> events =
          routed.stream().map(r -> (RecipientRouted) EventCodec.decode(r.value()))
              .sorted(Comparator.comparing(e -> e.destination().key())).toList();
      RecipientRouted local = events.get(0);
      RecipientRouted relay = events.get(1);
      assertEquals(Destination.local(), local.destination());
      assertEquals(List.of("root@relay.test"), local.recipients().stream().map(r -> r.address().toString()).toList());
      assertEquals(new Destination("relay", "smtp.corp.example", 587, false), relay.destination());
      assertEquals(List.of("a@corp.example", "b@other.example"),
          relay.recipients().stream().map(r -> r.address().toString()).toList());
      assertEquals(Set.of("q1|local", "q1|relay:[smtp.corp.example]:587"),
          routed.stream().map(ConsumerRecord::key).collect(Collectors.toSet()));

      List<ConsumerRecord<String, byte[]>> dead = TopicReader.read(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(30));
      assertEquals(1, dead.size());
      String reason = new String(dead.get(0).headers().lastHeader("mailstream.reason").value(), StandardCharsets.UTF_8);
      assertTrue(reason.startsWith("unknown event schema version 110"), reason);
    } finally {
      worker.close();
      t.join();
    }
  }

  @Test
  void twoWorkersRouteEveryMessageExactlyOnceWhenOneStops() throws Exception {
    MailstreamConfig config = new ConfigBuilder().smartHost("smtp.corp.example:25").build();
    Topics topics = new Topics(TestKafka.freshTopics(4, false));
    String bootstrap = TestKafka.bootstrap();
    RouterWorker w1 = new RouterWorker(bootstrap, topics, router(config), "w1");
    RouterWorker w2 = new RouterWorker(bootstrap, topics, router(config), "w2");
    Thread t1 = new Thread(w1);
    Thread t2 = new Thread(w2);
    t1.start();
    t2.start();
    int n = 400;
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("test"), Duration.ofSeconds(30)))) {
      for (int i = 0; i < n; i++) {
        p.send(new ProducerRecord<>(topics.accepted(), "m" + i, EventCodec.encode(message("m" + i, "x@corp.example"))));
        if (i == n / 2) {
          p.flush();
          w1.close(); // One worker leaves mid-run; the other takes over its partitions.
        }
      }
    }
    try {
      List<ConsumerRecord<String, byte[]>> routed = TopicReader.read(bootstrap, topics.routed(), n, Duration.ofSeconds(60));
      List<String> ids = routed.stream().map(r -> EventCodec.decode(r.value())).map(MailEvent::queueId).toList();
      assertEquals(n, ids.size());
      assertEquals(n, Set.copyOf(ids).size(), "no message routed twice");
    } finally {
      w1.close();
      w2.close();
      t1.join();
      t2.join();
    }
  }

  /**
   * A message that makes the rule engine throw (it decodes fine) ends each worker with the record
   * named; the third failure sends it to the dead-letter topic with the reason, and the message
   * behind it on the same partition is routed.
   */
  @Test
  void messageThatMakesRoutingThrowIsDeadLetteredAfterThreeTriesAndThePartitionMovesOn() throws Exception {
    MailstreamConfig config = new ConfigBuilder().smartHost("smtp.corp.example:25").build();
    RuleSet rules = RuleSet.load(config);
    java.util.function.Function<HeaderSource, Router> breaksOnPoison = headers -> {
      Router real = new RuleRouter(rules, headers);
      return new Router() {
        @Override
        public RoutingPlan plan(MessageAccepted m, long now) {
          if (m.queueId().equals("poison")) {
            throw new IllegalStateException("rule engine cannot route poison");
          }
          return real.plan(m, now);
        }

        @Override
        public RoutingPlan routeAgain(RecipientRouted stale, long now) {
          return real.routeAgain(stale, now);
        }
      };
    };
    Topics topics = new Topics(TestKafka.freshTopics(1, false)); // one partition: poison is in the way
    String bootstrap = TestKafka.bootstrap();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.accepted(), "poison", EventCodec.encode(message("poison", "x@corp.example")))).get();
      p.send(new ProducerRecord<>(topics.accepted(), "after", EventCodec.encode(message("after", "y@corp.example")))).get();
    }
    RecordFailures failures = new RecordFailures(3);
    for (int attempt = 1; attempt <= 3; attempt++) {
      RouterWorker worker = new RouterWorker(bootstrap, topics, breaksOnPoison, "w1", BounceNotifier.NONE, failures);
      RecordFailedException e = assertThrows(RecordFailedException.class, worker::run, "attempt " + attempt);
      assertEquals(topics.accepted() + "-0@0", e.source());
      assertEquals("poison", e.queueId());
    }
    RouterWorker worker = new RouterWorker(bootstrap, topics, breaksOnPoison, "w1", BounceNotifier.NONE, failures);
    Thread t = new Thread(worker);
    t.start();
    try {
      List<ConsumerRecord<String, byte[]>> routed = TopicReader.read(bootstrap, topics.routed(), 1, Duration.ofSeconds(30));
      assertEquals(List.of("after"), routed.stream().map(r -> EventCodec.decode(r.value()).queueId()).toList(),
          "the aborted tries left nothing behind, and the next message was routed");
      List<ConsumerRecord<String, byte[]>> dead = TopicReader.read(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(30));
      assertEquals(1, dead.size());
      assertEquals("poison", dead.get(0).key());
      String reason = new String(dead.get(0).headers().lastHeader("mailstream.reason").value(), StandardCharsets.UTF_8);
      assertEquals("processing failed 3 times: java.lang.IllegalStateException: rule engine cannot route poison", reason);
      String source = new String(dead.get(0).headers().lastHeader("mailstream.source").value(), StandardCharsets.UTF_8);
      assertEquals(topics.accepted() + "-0@0", source);
    } finally {
      worker.close();
      t.join();
    }
  }

  /**
   * A body that came inline is never copied into routed events: routing one message with three
   * recipients to three destinations writes three small records, each referring to the accepted
   * record (store ACCEPTED) that holds the body.
   */
  @Test
  void routedEventsReferToTheAcceptedRecordInsteadOfCopyingAnInlineBody(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mailertable"), "partner.example esmtp:[mx.partner.example]\n");
    ConfigBuilder b = new ConfigBuilder().hostname("relay.test").smartHost("[smtp.corp.example]:587")
        .localDomains(List.of("dmz.example"));
    b.routing().map("mailertable", dir.resolve("mailertable"));
    MailstreamConfig config = b.build();
    Topics topics = new Topics(TestKafka.freshTopics());
    String bootstrap = TestKafka.bootstrap();
    byte[] body = ("Subject: big\r\nFrom: web@dmz.example\r\n\r\n" + "x".repeat(64 * 1024) + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    MessageAccepted m = message("q3", "a@corp.example", "root@dmz.example", "c@partner.example");
    MessageAccepted inline = new MessageAccepted(m.queueId(), m.acceptedAtMillis(), m.sender(), m.recipients(), m.client(),
        m.messageId(), m.receivedHeader(), BodyRef.inline(body), m.dsn());
    org.apache.kafka.clients.producer.RecordMetadata stored;
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("test"), Duration.ofSeconds(30)))) {
      stored = p.send(new ProducerRecord<>(topics.accepted(), "q3", EventCodec.encode(inline))).get();
    }
    RouterWorker worker = new RouterWorker(bootstrap, topics, router(config), "w-size");
    Thread t = new Thread(worker);
    t.start();
    try {
      List<ConsumerRecord<String, byte[]>> routed = TopicReader.read(bootstrap, topics.routed(), 3, Duration.ofSeconds(30));
      assertEquals(3, routed.size());
      assertEquals(3, routed.stream().map(ConsumerRecord::key).distinct().count(), "three destinations");
      for (ConsumerRecord<String, byte[]> r : routed) {
        assertTrue(r.value().length < 1024, r.key() + ": " + r.value().length + " octets for a body of " + body.length);
        RecipientRouted e = (RecipientRouted) EventCodec.decode(r.value());
        assertEquals(BodyRef.Store.ACCEPTED, e.message().body().store(), r.key());
        assertEquals(stored.partition(), e.message().body().partition());
        assertEquals(List.of(stored.offset()), e.message().body().chunkOffsets());
        assertEquals(body.length, e.message().body().size());
      }
    } finally {
      worker.close();
      t.join();
    }
  }

  /**
   * A transaction spans several polls; when Kafka fails in the middle of one (here a send refused
   * while routing the second message), the abort rewinds to the first record the transaction
   * read, not to the last poll's: the first message, whose routed event was aborted with it, is
   * routed again, and every message comes out once.
   */
  @Test
  void anAbortedTransactionReadsAgainFromItsFirstRecordNotTheLastPoll() throws Exception {
    MailstreamConfig config = new ConfigBuilder().smartHost("smtp.corp.example:25").build();
    RuleSet rules = RuleSet.load(config);
    java.util.concurrent.CountDownLatch firstRouted = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.function.Function<HeaderSource, Router> flaky = headers -> {
      Router real = new RuleRouter(rules, headers);
      return new Router() {
        @Override
        public RoutingPlan plan(MessageAccepted m, long now) {
          if (m.queueId().equals("second") && failed.compareAndSet(false, true)) {
            throw new org.apache.kafka.common.KafkaException("injected: broker went away");
          }
          RoutingPlan plan = real.plan(m, now);
          firstRouted.countDown();
          return plan;
        }

        @Override
        public RoutingPlan routeAgain(RecipientRouted stale, long now) {
          return real.routeAgain(stale, now);
        }
      };
    };
    Topics topics = new Topics(TestKafka.freshTopics(1, false));
    String bootstrap = TestKafka.bootstrap();
    // A window far longer than the test's steps: both messages fall into one transaction.
    RouterWorker worker = new RouterWorker(bootstrap, topics, flaky, "w-window", BounceNotifier.NONE,
        new RecordFailures(3), new RouterSettings(1, Duration.ofSeconds(5), 1000));
    Thread t = new Thread(worker);
    t.start();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.accepted(), "first", EventCodec.encode(message("first", "x@corp.example")))).get();
      assertTrue(firstRouted.await(30, java.util.concurrent.TimeUnit.SECONDS), "first message routed");
      p.send(new ProducerRecord<>(topics.accepted(), "second", EventCodec.encode(message("second", "y@corp.example")))).get();
      List<ConsumerRecord<String, byte[]>> routed = TopicReader.read(bootstrap, topics.routed(), 2, Duration.ofSeconds(30));
      assertTrue(failed.get(), "the second message's first try failed");
      assertEquals(List.of("first", "second"), routed.stream().map(r -> EventCodec.decode(r.value()).queueId()).toList());
    } finally {
      worker.close();
      t.join();
    }
  }
}
