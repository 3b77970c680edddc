package io.mailstream.router.worker;

import io.mailstream.core.config.RouterSettings;
import io.mailstream.router.route.Router;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One routing transaction in progress: the polls it spans, the rules it routes with, and per
 * partition the first offset it read (where an abort rewinds to) and the offset after the last
 * (what its commit records as consumed).
 */
final class RoutingWindow {
  private final Router router;
  private final long startedNanos;
  private final long intervalNanos;
  private final int maxRecords;
  private final Map<TopicPartition, Long> first = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
  private int records;

  RoutingWindow(Router router, RouterSettings settings, long nowNanos) {
    this.router = router;
    this.startedNanos = nowNanos;
    this.intervalNanos = settings.commitInterval().toNanos();
    this.maxRecords = settings.commitRecords();
  }

  /** The rules of this transaction: a reloaded configuration applies from the next one. */
  Router router() {
    return router;
  }

  /**
   * Takes in a poll's records before any is routed, so that an abort in the middle of them still
   * rewinds to the first record of every partition this transaction read.
   */
  void read(ConsumerRecords<String, byte[]> polled) {
    for (TopicPartition tp : polled.partitions()) {
      var rs = polled.records(tp);
      first.putIfAbsent(tp, rs.get(0).offset());
      next.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
      records += rs.size();
    }
  }

  /** Whether the transaction has been open for its interval or holds its share of records. */
  boolean due(long nowNanos) {
    return records >= maxRecords || nowNanos - startedNanos >= intervalNanos;
  }

  /** How long the next poll may wait before this transaction is due. */
  Duration remaining(long nowNanos) {
    return Duration.ofNanos(Math.max(0, intervalNanos - (nowNanos - startedNanos)));
  }

  /** The offsets to commit with the transaction: the record after the last one read, per partition. */
  Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
    return Map.copyOf(next);
  }

  /** Where each partition this transaction read starts again after an abort. */
  Map<TopicPartition, Long> firstOffsets() {
    return Map.copyOf(first);
  }

  int records() {
    return records;
  }
}
