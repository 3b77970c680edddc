package io.mailstream.ingress.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.KafkaSettings;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import io.mailstream.ingress.testing.Await;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The Kafka publisher against Kafka's MockProducer: record order, keys, offsets, failures. */
class KafkaPublisherTest {
  private static final Topics TOPICS =
      new Topics(new KafkaSettings(null, "unit", 3, (short) 1, 1, false));

  @Test
  void chunksThenTheAcceptedEventAllKeyedByQueueId() throws Exception {
    MockProducer<String, byte[]> producer = producer(true);
    try (KafkaPublisher publisher = new KafkaPublisher(producer, TOPICS)) {
      BodyWriter w = publisher.begin("Q1");
      CompletableFuture<Void> first = w.write(new byte[] {1, 2});
      // A second chunk shows the body will not fit inline: the first goes out with it.
      w.write(new byte[] {3}).get(5, TimeUnit.SECONDS);
      first.get(5, TimeUnit.SECONDS);
      MessageAccepted event = w.commit(submission("Q1")).get(5, TimeUnit.SECONDS);

      assertEquals(new BodyRef(0, List.of(0L, 1L), 3), event.body());
      List<ProducerRecord<String, byte[]>> sent = producer.history();
      assertEquals(3, sent.size());
      assertEquals(List.of("unit.bodies", "unit.bodies", "unit.accepted"),
          sent.stream().map(ProducerRecord::topic).toList());
      sent.forEach(r -> assertEquals("Q1", r.key()));
      BodyChunk second = BodyChunk.decode(sent.get(1).value());
      assertEquals(1, second.seq());
      assertArrayEquals(new byte[] {3}, second.data());
      assertEquals(event, EventCodec.decode(sent.get(2).value()));
    }
  }

  @Test
  void aBodyOfOneChunkTravelsInsideTheAcceptedEventAsOneRecord() throws Exception {
    MockProducer<String, byte[]> producer = producer(true);
    try (KafkaPublisher publisher = new KafkaPublisher(producer, TOPICS)) {
      BodyWriter w = publisher.begin("Q4");
      CompletableFuture<Void> chunk = w.write(new byte[] {1, 2, 3});
      assertEquals(0, producer.history().size(), "the only chunk waits for the commit");
      MessageAccepted event = w.commit(submission("Q4")).get(5, TimeUnit.SECONDS);
      chunk.get(5, TimeUnit.SECONDS);
      assertEquals(BodyRef.inline(new byte[] {1, 2, 3}), event.body());
      List<ProducerRecord<String, byte[]>> sent = producer.history();
      assertEquals(List.of("unit.accepted"), sent.stream().map(ProducerRecord::topic).toList());
      assertEquals(event, EventCodec.decode(sent.get(0).value()));
    }
  }

  @Test
  void anEmptyBodyIsInlineToo() throws Exception {
    MockProducer<String, byte[]> producer = producer(true);
    try (KafkaPublisher publisher = new KafkaPublisher(producer, TOPICS)) {
      MessageAccepted event = publisher.begin("Q2").commit(submission("Q2")).get(5, TimeUnit.SECONDS);
      assertEquals(BodyRef.inline(new byte[0]), event.body());
      assertEquals(1, producer.history().size());
    }
  }

  @Test
  void aFailedChunkFailsTheCommitAndNoEventIsWritten() throws Exception {
    MockProducer<String, byte[]> producer = producer(false);
    try (KafkaPublisher publisher = new KafkaPublisher(producer, TOPICS)) {
      BodyWriter w = publisher.begin("Q3");
      w.write(new byte[] {1});
      w.write(new byte[] {2});
      CompletableFuture<MessageAccepted> committed = w.commit(submission("Q3"));
      Await.until("two chunks sent", Duration.ofSeconds(5), () -> producer.history().size() == 2);
      producer.completeNext();
      producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("test"));
      ExecutionException e = assertThrows(ExecutionException.class, () -> committed.get(5, TimeUnit.SECONDS));
      assertEquals(org.apache.kafka.common.errors.TimeoutException.class, e.getCause().getClass());
      assertEquals(2, producer.history().size());
    }
  }

  @Test
  void afterCloseWritesFailInsteadOfThrowing() throws Exception {
    KafkaPublisher publisher = new KafkaPublisher(producer(true), TOPICS);
    publisher.close();
    BodyWriter w = publisher.begin("Q4");
    CompletableFuture<Void> chunk = w.write(new byte[] {1});
    assertThrows(ExecutionException.class, () -> w.commit(submission("Q4")).get(5, TimeUnit.SECONDS));
    assertThrows(ExecutionException.class, () -> chunk.get(5, TimeUnit.SECONDS));
    BodyWriter large = publisher.begin("Q5");
    large.write(new byte[] {1});
    assertThrows(ExecutionException.class, () -> large.write(new byte[] {2}).get(5, TimeUnit.SECONDS));
  }

  private static MockProducer<String, byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
  }

  private static Submission submission(String queueId) throws Exception {
    return new Submission(
        queueId,
        1_700_000_000_000L,
        MailAddress.parse("a@client.test"),
        List.of(EnvelopeRecipient.of(MailAddress.parse("b@local.test"))),
        new ClientInfo("client.test", "127.0.0.1", null, "ESMTP", null),
        "<id@client.test>",
        "Received: from x\r\n",
        DsnRequest.NONE);
  }
}
