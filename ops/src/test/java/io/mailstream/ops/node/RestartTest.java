package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.MailEvent;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.delivery.testkit.Verb;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole node (embedded broker under the data directory, all stages) stops with a deferred
 * message and starts again on the same data directory: the message is delivered once, not before
 * its next attempt, and what was delivered before the stop is not sent again.
 */
class RestartTest {
  @TempDir Path dataDir;

  @Test
  void deferredMailSurvivesARestartAndIsDeliveredExactlyOnce() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      MailstreamConfig config =
          new ConfigBuilder()
              .hostname("relay.test")
              .dataDir(dataDir.toString())
              .listen(List.of("127.0.0.1:0"))
              .smartHost("127.0.0.1:" + smartHost.port())
              .partitions(2)
              .deliveryThreads(1)
              .retrySchedule(List.of("6s"))
              .build();
      assertTrue(config.kafka().embedded() && config.kafka().fsync(), "embedded default fsyncs");

      MailstreamNode first = MailstreamNode.start(config, EnumSet.allOf(Stage.class));
      Deferred deferred;
      try {
        assertTrue(Smtp.send(first.listening().get(0), "a@client.test", "b@corp.example", "before-stop").startsWith("250"));
        smartHost.awaitMessages(1, Duration.ofSeconds(60));
        smartHost.on(Verb.MAIL, "421 4.3.2 smart host busy");
        assertTrue(Smtp.send(first.listening().get(0), "a@client.test", "b@corp.example", "deferred").startsWith("250"));
        deferred = awaitDeferred(first);
      } finally {
        first.close();
      }
      smartHost.resetScript();

      MailstreamNode second = MailstreamNode.start(config, EnumSet.allOf(Stage.class));
      try {
        List<ReceivedMessage> got = smartHost.awaitMessages(2, Duration.ofSeconds(60));
        long deliveredAt = System.currentTimeMillis();
        assertTrue(deliveredAt >= deferred.nextAttemptAtMillis(), "not before the next attempt time");
        assertTrue(text(got.get(1)).contains("Subject: deferred"));
        // Nothing else may arrive: the message delivered before the stop is not sent again.
        LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
        assertEquals(2, smartHost.messages().size());
        assertEquals(1, smartHost.messages().stream().filter(m -> text(m).contains("Subject: before-stop")).count());
      } finally {
        second.close();
      }
    }
  }

  private static String text(ReceivedMessage m) {
    return new String(m.data(), StandardCharsets.ISO_8859_1);
  }

  private static Deferred awaitDeferred(MailstreamNode node) {
    Topics topics = new Topics(node.config().kafka());
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(KafkaClients.consumer(node.bootstrap(), "test", "t-" + UUID.randomUUID(), "test-reader"))) {
      c.subscribe(List.of(topics.outcomes()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          MailEvent e = EventCodec.decode(r.value());
          if (e instanceof Deferred d) {
            return d;
          }
        }
      }
    }
    throw new AssertionError("no Deferred outcome within 60 s");
  }
}
