package io.mailstream.delivery.worker;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which polled records of each partition are finished, so that a worker with many messages in
 * flight commits only up to the last contiguous finished record: a slow message holds back the
 * commit of the fast ones behind it (they may be repeated after a crash) but is never skipped.
 *
 * <p>Not thread-safe: used by the worker's thread only.
 */
final class OffsetTracker {
  /** Offsets handed out and whether each is finished, per partition, in order. */
  private final Map<TopicPartition, TreeMap<Long, Boolean>> open = new HashMap<>();
  /** The next offset to commit per partition, once everything before it is finished. */
  private final Map<TopicPartition, Long> finishedUpTo = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Map<TopicPartition, Long> firstUncommitted = new HashMap<>();

  void started(TopicPartition tp, long offset) {
    open.computeIfAbsent(tp, p -> new TreeMap<>()).put(offset, false);
    firstUncommitted.putIfAbsent(tp, offset);
  }

  void finished(TopicPartition tp, long offset) {
    TreeMap<Long, Boolean> offsets = open.get(tp);
    if (offsets == null || !offsets.containsKey(offset)) {
      return; // A partition given up since (revoked or rewound).
    }
    offsets.put(offset, true);
    while (!offsets.isEmpty() && offsets.firstEntry().getValue()) {
      long done = offsets.pollFirstEntry().getKey();
      finishedUpTo.put(tp, done + 1);
    }
  }

  /** Records polled and not finished, over all partitions. */
  int unfinished() {
    int n = 0;
    for (TreeMap<Long, Boolean> offsets : open.values()) {
      for (boolean done : offsets.values()) {
        n += done ? 0 : 1;
      }
    }
    return n;
  }

  /** The offsets to commit now: per partition, the one after its last contiguous finished record. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    finishedUpTo.forEach((tp, next) -> {
      if (!next.equals(committed.get(tp))) {
        out.put(tp, new OffsetAndMetadata(next));
      }
    });
    return out;
  }

  /** The offsets were committed. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      committed.put(tp, o.offset());
      firstUncommitted.put(tp, o.offset());
    });
  }

  /**
   * Where to read {@code tp} again from after a failure: the first record not committed, or -1
   * when nothing of it is held.
   */
  long rewindTo(TopicPartition tp) {
    return firstUncommitted.getOrDefault(tp, -1L);
  }

  /** Forgets a partition (revoked, lost, or read again from its committed offset). */
  void forget(TopicPartition tp) {
    open.remove(tp);
    finishedUpTo.remove(tp);
    committed.remove(tp);
    firstUncommitted.remove(tp);
  }

  /** The partitions with records held. */
  Set<TopicPartition> partitions() {
    Set<TopicPartition> all = new HashSet<>(open.keySet());
    all.addAll(finishedUpTo.keySet());
    return all;
  }
}
