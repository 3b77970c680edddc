package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A send that Kafka never acknowledges must stop the commit. A broker that fails one record of a
 * batch cannot be arranged on demand, so Kafka's own MockProducer stands in for it here.
 */
class AcknowledgedSendsTest {
  @Test
  void aFailedSendIsReportedOnceAfterFlushAndTheCallersCallbackStillRuns() {
    MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    AcknowledgedSends sends = new AcknowledgedSends(kafka);
    AtomicReference<Exception> seen = new AtomicReference<>();

    sends.producer().send(new ProducerRecord<>("outcomes", "q1", new byte[] {1}));
    sends.producer().send(new ProducerRecord<>("retry-state", "q1|relay", new byte[] {2}), (m, e) -> seen.set(e));
    kafka.completeNext();
    kafka.errorNext(new TimeoutException("expired"));
    sends.producer().flush();

    KafkaException failure = assertThrows(KafkaException.class, sends::check);
    assertTrue(failure.getMessage().contains("expired"), failure.getMessage());
    assertTrue(seen.get() instanceof TimeoutException, "the caller's callback is kept");
    assertDoesNotThrow(sends::check, "reported once");
    assertEquals(2, kafka.history().size());
  }

  @Test
  void successfulSendsPassTheCheck() {
    MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    AcknowledgedSends sends = new AcknowledgedSends(kafka);
    sends.producer().send(new ProducerRecord<>("outcomes", "q1", new byte[] {1}));
    sends.producer().flush();
    assertDoesNotThrow(sends::check);
  }

  @Test
  void storedUpToFollowsTheAnswersInOrderAndCountsAFailureAsAnswered() {
    MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    AcknowledgedSends sends = new AcknowledgedSends(kafka);
    assertEquals(0, sends.storedUpTo());

    for (int i = 1; i <= 3; i++) {
      sends.producer().send(new ProducerRecord<>("outcomes", "q" + i, new byte[] {(byte) i}));
    }
    assertEquals(3, sends.lastSent());
    assertEquals(0, sends.storedUpTo(), "nothing answered yet");
    kafka.completeNext();
    assertEquals(1, sends.storedUpTo());
    kafka.errorNext(new TimeoutException("expired"));
    assertEquals(2, sends.storedUpTo(), "answered, and the check says it failed");
    assertThrows(KafkaException.class, sends::check);
    kafka.completeNext();
    assertEquals(3, sends.storedUpTo());
  }

  @Test
  void aSendThatThrowsIsAnsweredAndReported() {
    MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    AcknowledgedSends sends = new AcknowledgedSends(kafka);
    kafka.close();

    assertThrows(IllegalStateException.class,
        () -> sends.producer().send(new ProducerRecord<>("outcomes", "q1", new byte[] {1})));
    assertEquals(1, sends.storedUpTo(), "a thrown send does not hold the commits back for ever");
    assertThrows(KafkaException.class, sends::check);
  }
}
