package io.mailstream.queue.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.KafkaSettings;
import io.mailstream.core.event.BodyRef;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** Reads bodies back from a real broker, with other messages' chunks stored in between. */
class BodyReaderTest {

  @Test
  void readsInterleavedChunksInOrder() throws Exception {
    KafkaSettings settings = TestKafka.freshTopics(1, false);
    Topics topics = new Topics(settings);
    Random random = new Random(42);
    byte[] a = new byte[3 * BodyChunk.MAX_SIZE + 17];
    byte[] b = new byte[2 * BodyChunk.MAX_SIZE];
    random.nextBytes(a);
    random.nextBytes(b);
    List<Long> offsetsA = new ArrayList<>();
    int partition;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      partition = -1;
      for (int i = 0; i * BodyChunk.MAX_SIZE < a.length; i++) {
        RecordMetadata m = send(producer, topics, "qa", i, a);
        offsetsA.add(m.offset());
        partition = m.partition();
        if (i * BodyChunk.MAX_SIZE < b.length) {
          send(producer, topics, "qb", i, b);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BodyReader reader = new BodyReader(TestKafka.bootstrap(), ClientName.of("test"), topics, Duration.ofSeconds(20))) {
      reader.read("qa", new BodyRef(partition, offsetsA, a.length), out::write);
      assertArrayEquals(a, out.toByteArray());

      BodyRef wrong = new BodyRef(partition, List.of(offsetsA.get(0), offsetsA.get(1) + 1), 0);
      BodyUnavailableException e =
          assertThrows(BodyUnavailableException.class, () -> reader.read("qa", wrong, x -> {}));
      assertTrue(e.getMessage().contains("is chunk 1 of qb"), e.getMessage());
    }
    assertEquals(4, offsetsA.size());
  }

  private static RecordMetadata send(
      KafkaProducer<String, byte[]> producer, Topics topics, String id, int seq, byte[] body) throws Exception {
    int from = seq * BodyChunk.MAX_SIZE;
    byte[] part = java.util.Arrays.copyOfRange(body, from, Math.min(body.length, from + BodyChunk.MAX_SIZE));
    return producer.send(new ProducerRecord<>(topics.bodies(), id, new BodyChunk(id, seq, part).encode())).get();
  }
}
