package io.mailstream.queue.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.KafkaSettings;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Messages a stage queues itself are laid out as the ingress lays out received mail ({@link
 * AcceptedRecords}), also through a transactional producer that lingers for its window.
 */
class MessageWriterTest {

  private static MessageAccepted notice(String id, BodyRef ref) {
    return new MessageAccepted(id, 1L, MailAddress.NULL_SENDER,
        List.of(EnvelopeRecipient.of(new MailAddress("web", "dmz.example"))),
        new ClientInfo("relay.test", null, "MAILER-DAEMON", "local", null), null, "Received: y\r\n", ref,
        MessageAccepted.DsnRequest.NONE);
  }

  @Test
  void aBodyOfOneChunkTravelsInlineAndALargerOneAsChunksOnTheAcceptedRecordsPartition() throws Exception {
    Topics topics = new Topics(TestKafka.freshTopics(6, false));
    String bootstrap = TestKafka.bootstrap();
    byte[] small = "Subject: small\r\n\r\nhi\r\n".getBytes();
    byte[] large = new byte[2 * BodyChunk.MAX_SIZE + 1000];
    new Random(7).nextBytes(large);
    // The router's producer: transactional, lingering for a long window; the chunks must still be
    // stored before the accepted event refers to them.
    Properties props = KafkaClients.transactionalProducer(bootstrap, ClientName.of("test"), "writer-" + UUID.randomUUID(), Duration.ofSeconds(5));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      producer.beginTransaction();
      MessageWriter writer = new MessageWriter(producer, topics, Duration.ofSeconds(30));
      MessageAccepted inline = writer.write("n-small", small, ref -> notice("n-small", ref));
      MessageAccepted chunked = writer.write("n-large", large, ref -> notice("n-large", ref));
      producer.commitTransaction();
      assertEquals(BodyRef.Store.INLINE, inline.body().store());
      assertArrayEquals(small, inline.body().inline());
      assertEquals(BodyRef.Store.CHUNKS, chunked.body().store());
      assertEquals(3, chunked.body().chunkOffsets().size());
      assertEquals(large.length, chunked.body().size());
    }
    List<ConsumerRecord<String, byte[]>> accepted = read(bootstrap, topics.accepted(), 2);
    ConsumerRecord<String, byte[]> large2 =
        accepted.stream().filter(r -> r.key().equals("n-large")).findFirst().orElseThrow();
    MessageAccepted event = (MessageAccepted) EventCodec.decode(large2.value());
    assertEquals(large2.partition(), event.body().partition(), "chunks and accepted event share a partition");
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    try (BodyReader reader = new BodyReader(bootstrap, ClientName.of("test"), topics, Duration.ofSeconds(30))) {
      reader.read("n-large", event.body(), back::write);
    }
    assertArrayEquals(large, back.toByteArray());
  }

  @Test
  void theLayoutRules() {
    assertTrue(AcceptedRecords.fitsInline(BodyChunk.MAX_SIZE));
    assertFalse(AcceptedRecords.fitsInline(BodyChunk.MAX_SIZE + 1L));
    Topics topics = new Topics(new KafkaSettings(null, "layout", 6, (short) 1, 1, false));
    int p = new AcceptedRecords(topics).partition();
    assertTrue(p >= 0 && p < 6, "partition " + p);
    List<RecordMetadata> split = List.of(
        new RecordMetadata(new TopicPartition(topics.bodies(), 1), 5, 0, 0L, 0, 0),
        new RecordMetadata(new TopicPartition(topics.bodies(), 2), 9, 0, 0L, 0, 0));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> AcceptedRecords.chunksAt("q", split, 10));
    assertEquals("q: chunks landed on partitions 1 and 2", e.getMessage());
  }

  private static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic, int count) {
    Properties p = KafkaClients.consumer(bootstrap, "test", "reader-" + UUID.randomUUID(), "test-reader");
    List<ConsumerRecord<String, byte[]>> out = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
