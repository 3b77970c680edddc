package io.mailstream.ops.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** The producer's retried CONCURRENT_TRANSACTIONS warning is dropped; its other warnings are not. */
class RetriedKafkaErrorsTest {
  private final LoggerContext context = new LoggerContext();
  private final RetriedKafkaErrors filter = new RetriedKafkaErrors();

  private FilterReply decide(String logger, String message, Object... args) {
    return filter.decide(new LoggingEvent(getClass().getName(), context.getLogger(logger), Level.WARN, message, null, args));
  }

  @Test
  void concurrentTransactionsRetriesAreDropped() {
    // Kafka 4.3's Sender, word for word.
    assertEquals(FilterReply.DENY, decide(RetriedKafkaErrors.SENDER,
        "Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
        812, "mailstream.routed-3", 2147483646, "CONCURRENT_TRANSACTIONS"));
  }

  @Test
  void otherProducerWarningsStay() {
    assertEquals(FilterReply.NEUTRAL, decide(RetriedKafkaErrors.SENDER,
        "Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
        812, "mailstream.routed-3", 2147483646, "NOT_ENOUGH_REPLICAS"));
    assertEquals(FilterReply.NEUTRAL, decide("org.apache.kafka.clients.NetworkClient", "Error: CONCURRENT_TRANSACTIONS"));
  }
}
