package io.mailstream.queue.topic;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stage worker failed while processing one input record, for a reason other than Kafka: its
 * rule engine or a mailer threw. It names the record (topic, partition, offset and queue id) so
 * that the supervisor's log line says which message stopped the worker.
 */
public final class RecordFailedException extends RuntimeException {
  private final String source;
  private final String queueId;

  /**
   * @param queueId the message's queue id, or the record's key when the record did not decode
   */
  public RecordFailedException(ConsumerRecord<?, ?> record, String queueId, RuntimeException cause) {
    super("failed on " + RecordFailures.sourceOf(record) + " (queue id " + queueId + "): " + cause, cause);
    this.source = RecordFailures.sourceOf(record);
    this.queueId = queueId;
  }

  /** {@code topic-partition@offset} of the record. */
  public String source() {
    return source;
  }

  public String queueId() {
    return queueId;
  }
}
