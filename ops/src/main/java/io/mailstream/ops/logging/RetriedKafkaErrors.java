package io.mailstream.ops.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the producer's warning that it retries a produce request the broker answered with
 * {@code CONCURRENT_TRANSACTIONS}. A router worker begins its next transaction right after the
 * last one committed, and the broker answers so until it has written the previous commit's
 * markers; the client retries by itself within milliseconds and nothing is lost (BENCHMARKS.md
 * counts them under load). Every other producer warning is kept.
 */
public final class RetriedKafkaErrors extends Filter<ILoggingEvent> {
  static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (SENDER.equals(event.getLoggerName()) && event.getFormattedMessage().contains("Error: CONCURRENT_TRANSACTIONS")) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
