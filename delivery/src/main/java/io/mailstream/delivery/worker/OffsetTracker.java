package io.mailstream.delivery.worker;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which polled records of each partition are finished, so that a worker with many messages in
 * flight commits only up to the last contiguous finished record whose outcomes Kafka has stored:
 * a slow message holds back the commit of the fast ones behind it (they may be repeated after a
 * crash) but is never skipped, and no offset is committed before what its attempt wrote.
 *
 * <p>A record is finished with the number of the last send made for it ({@link
 * AcknowledgedSends#lastSent}); it becomes committable once every send up to that number is
 * answered. Not thread-safe: used by the worker's thread only.
 */
final class OffsetTracker {
  private static final long UNFINISHED = -1;

  /** Offsets handed out per partition, in order, each with its last send (or UNFINISHED). */
  private final Map<TopicPartition, TreeMap<Long, Long>> open = new HashMap<>();
  /** The next offset to commit per partition, once everything before it is finished and stored. */
  private final Map<TopicPartition, Long> finishedUpTo = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Map<TopicPartition, Long> firstUncommitted = new HashMap<>();
  /** Records behind {@link #finishedUpTo} whose offsets are not committed yet, per partition. */
  private final Map<TopicPartition, Integer> passed = new HashMap<>();
  /** The offset of the last commit asked for per partition, while it is under way. */
  private final Map<TopicPartition, Long> asked = new HashMap<>();

  void started(TopicPartition tp, long offset) {
    open.computeIfAbsent(tp, p -> new TreeMap<>()).put(offset, UNFINISHED);
    firstUncommitted.putIfAbsent(tp, offset);
  }

  /**
   * The record at {@code offset} is finished; {@code lastSend} numbers the last record sent for it
   * (and for everything finished before it).
   */
  void finished(TopicPartition tp, long offset, long lastSend) {
    TreeMap<Long, Long> offsets = open.get(tp);
    if (offsets == null || !offsets.containsKey(offset)) {
      return; // A partition given up since (revoked or rewound).
    }
    offsets.put(offset, Math.max(0, lastSend));
  }

  /** Records polled and not finished, over all partitions. */
  int unfinished() {
    int n = 0;
    for (TreeMap<Long, Long> offsets : open.values()) {
      for (long lastSend : offsets.values()) {
        n += lastSend == UNFINISHED ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Records finished whose offsets are not committed yet, over all partitions: what a crash now
   * would make the next owner repeat.
   */
  int uncommitted() {
    int n = 0;
    for (TreeMap<Long, Long> offsets : open.values()) {
      for (long lastSend : offsets.values()) {
        n += lastSend == UNFINISHED ? 0 : 1;
      }
    }
    for (int count : passed.values()) {
      n += count;
    }
    return n;
  }

  /**
   * The offsets to commit now: per partition, the one after its last contiguous finished record
   * whose sends are all answered, given that every send up to {@code storedUpTo} is; not those a
   * commit under way already asks for ({@link #asked}).
   */
  Map<TopicPartition, OffsetAndMetadata> committable(long storedUpTo) {
    open.forEach((tp, offsets) -> {
      while (!offsets.isEmpty()) {
        Map.Entry<Long, Long> first = offsets.firstEntry();
        if (first.getValue() == UNFINISHED || first.getValue() > storedUpTo) {
          break;
        }
        offsets.pollFirstEntry();
        finishedUpTo.put(tp, first.getKey() + 1);
        passed.merge(tp, 1, Integer::sum);
      }
    });
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    finishedUpTo.forEach((tp, next) -> {
      if (!next.equals(committed.get(tp)) && !next.equals(asked.get(tp))) {
        out.put(tp, new OffsetAndMetadata(next));
      }
    });
    return out;
  }

  /** A commit of {@code offsets} is under way: {@link #committable} leaves them out until it is answered. */
  void asked(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> asked.put(tp, o.offset()));
  }

  /** The commit of {@code offsets} was refused: those of them no later commit asks for are offered again. */
  void refused(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> asked.remove(tp, o.offset()));
  }

  /** Offers again what commits under way ask for: for a commit that must cover everything finished. */
  void askAgain() {
    asked.clear();
  }

  /** The offsets were committed. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      if (!open.containsKey(tp) && !finishedUpTo.containsKey(tp)) {
        return; // Forgotten while the commit was under way.
      }
      // Answers come in the order the commits were asked; an older one never moves it back.
      committed.merge(tp, o.offset(), Math::max);
      firstUncommitted.merge(tp, o.offset(), Math::max);
      if (o.offset() >= finishedUpTo.getOrDefault(tp, Long.MAX_VALUE)) {
        passed.remove(tp);
      }
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
    passed.remove(tp);
    asked.remove(tp);
  }

  /** The partitions with records held. */
  Set<TopicPartition> partitions() {
    Set<TopicPartition> all = new HashSet<>(open.keySet());
    all.addAll(finishedUpTo.keySet());
    return all;
  }
}
