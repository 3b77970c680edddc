package io.mailstream.queue.testkit;

import io.mailstream.core.event.BodyRef;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Writes a body to the bodies topic the way the ingress does, for tests of later stages. */
public final class StoredBodies {
  private StoredBodies() {}

  public static BodyRef store(Topics topics, String queueId, byte[] body) {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      List<Long> offsets = new ArrayList<>();
      int partition = 0;
      for (int seq = 0, from = 0; from < body.length || seq == 0; seq++, from += BodyChunk.MAX_SIZE) {
        byte[] part = Arrays.copyOfRange(body, from, Math.min(body.length, from + BodyChunk.MAX_SIZE));
        RecordMetadata m =
            p.send(new ProducerRecord<>(topics.bodies(), queueId, new BodyChunk(queueId, seq, part).encode())).get();
        offsets.add(m.offset());
        partition = m.partition();
      }
      return new BodyRef(partition, offsets, body.length);
    } catch (Exception e) {
      throw new IllegalStateException("cannot store test body", e);
    }
  }
}
