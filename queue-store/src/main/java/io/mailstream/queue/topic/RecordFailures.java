package io.mailstream.queue.topic;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How often processing each input record of a stage has failed, by topic, partition and offset.
 * A record that makes the rule engine or a mailer throw would otherwise stop its partition for
 * good: each restart of the worker reads it again and fails again. Once a record has failed
 * {@code maxAttempts} times, the worker sends it to the dead-letter topic with the last reason
 * and goes on with the partition.
 *
 * <p>One instance outlives the workers it serves (the node keeps it across restarts) and is shared
 * by the workers of one stage, since a partition can move between them. The counts are in memory:
 * a process restart gives a record its attempts again, which only delays the dead letter.
 */
public final class RecordFailures {
  /** What the node uses: a record gets three tries, as Kafka Streams' retry examples do. */
  public static final int DEFAULT_ATTEMPTS = 3;

  private final int maxAttempts;
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();

  public RecordFailures(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  /** Counts one failed attempt at {@code record}. */
  public void failed(ConsumerRecord<?, ?> record, Throwable cause) {
    failures.merge(
        sourceOf(record), new Failure(1, reasonOf(cause)), (old, now) -> new Failure(old.attempts() + 1, now.reason()));
  }

  /**
   * The reason to dead-letter {@code record} instead of processing it: present once it has failed
   * {@code maxAttempts} times; the count is then forgotten, as the record leaves the partition.
   */
  public Optional<String> exhausted(ConsumerRecord<?, ?> record) {
    if (failures.isEmpty()) {
      return Optional.empty(); // the common case: nothing ever failed
    }
    String source = sourceOf(record);
    Failure f = failures.get(source);
    if (f == null || f.attempts() < maxAttempts) {
      return Optional.empty();
    }
    failures.remove(source);
    return Optional.of("processing failed " + f.attempts() + " times: " + f.reason());
  }

  /** Forgets the failures of a record that has now been processed. */
  public void succeeded(ConsumerRecord<?, ?> record) {
    if (!failures.isEmpty()) {
      failures.remove(sourceOf(record));
    }
  }

  /** How many times processing {@code record} has failed so far. */
  public int attempts(ConsumerRecord<?, ?> record) {
    Failure f = failures.get(sourceOf(record));
    return f == null ? 0 : f.attempts();
  }

  /** {@code topic-partition@offset}, as the dead-letter topic's {@code mailstream.source} header. */
  public static String sourceOf(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private static String reasonOf(Throwable cause) {
    Throwable root = cause instanceof RecordFailedException && cause.getCause() != null ? cause.getCause() : cause;
    return root.getMessage() == null ? root.getClass().getName() : root.getClass().getName() + ": " + root.getMessage();
  }

  private record Failure(int attempts, String reason) {}
}
