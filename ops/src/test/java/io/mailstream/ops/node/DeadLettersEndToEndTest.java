package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mailstream dead-letters lists what delivery could not read, with source and reason, and {@code
 * dead-letters replay} writes a dead letter back to its topic once, where it is processed again.
 */
class DeadLettersEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void listsAndWritesBackOnce() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      MailstreamConfig config =
          QueueTestNodes.config(dir.resolve("data"), smartHost, "dl-" + UUID.randomUUID(), 1, "1h").build();
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        String data = dir.resolve("data").toString();
        Topics topics = new Topics(config.kafka());
        QueueToolsEndToEndTest.send(node, "ok@corp.example", "sent twice");
        smartHost.awaitMessages(1, WAIT);
        ConsumerRecord<String, byte[]> routed = first(node.bootstrap(), topics.routed());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(node.bootstrap(), ClientName.of("test"), WAIT))) {
          // A record from a newer Mailstream: delivery moves it to the dead-letter topic.
          p.send(new ProducerRecord<>(topics.routed(), 0, "junk", new byte[] {9, 2, 0})).get();
          // A routed record whose processing failed three times, as delivery would have left it.
          ProducerRecord<String, byte[]> failed = new ProducerRecord<>(topics.deadLetter(), routed.key(), routed.value());
          failed.headers().add("mailstream.source", (topics.routed() + "-0@" + routed.offset()).getBytes(StandardCharsets.UTF_8))
              .add("mailstream.reason", "processing failed 3 times: java.io.IOException: disk".getBytes(StandardCharsets.UTF_8));
          p.send(failed).get();
        }
        Await.until(() -> JSON.readTree(Cli.ok("dead-letters", "--data-dir", data, "--json")).get("count").asInt() == 2,
            WAIT, "two dead letters");
        JsonNode letters = JSON.readTree(Cli.ok("dead-letters", "--data-dir", data, "--json")).get("deadLetters");
        JsonNode junk = find(letters, "junk");
        assertTrue(junk.get("reason").asText().startsWith("unknown event schema version 9"), junk.toString());
        assertTrue(junk.get("source").asText().startsWith(topics.routed() + "-0@"), junk.toString());
        String failedId = find(letters, routed.key()).get("id").asText();

        String back = Cli.ok("dead-letters", "replay", "--data-dir", data, failedId);
        assertTrue(back.contains("1 dead letter written back: " + failedId), back);
        smartHost.awaitMessages(2, WAIT);
        String again = Cli.ok("dead-letters", "replay", "--data-dir", data, failedId);
        assertTrue(again.contains("written back already") && again.contains("0 dead letters written back"), again);
        assertTrue(Cli.ok("dead-letters", "--data-dir", data).contains("(written back)"));
        QueueToolsEndToEndTest.send(node, "ok@corp.example", "probe");
        smartHost.awaitMessages(3, WAIT);
        assertEquals(2, smartHost.messages().stream().filter(m -> m.text().contains("Subject: sent twice")).count());
        assertEquals(2, Cli.run("dead-letters", "replay", "--data-dir", data).exit(), "a replay needs a selection");
      }
    }
  }

  private static JsonNode find(JsonNode letters, String key) {
    for (JsonNode l : letters) {
      if (key.equals(l.get("key").asText())) {
        return l;
      }
    }
    throw new AssertionError("no dead letter with key " + key + " in " + letters);
  }

  private static ConsumerRecord<String, byte[]> first(String bootstrap, String topic) {
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(bootstrap, ClientName.of("test")))) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          return r;
        }
      }
    }
    throw new AssertionError("nothing on " + topic);
  }
}
