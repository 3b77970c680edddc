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
}
