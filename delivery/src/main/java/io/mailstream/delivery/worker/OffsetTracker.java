package io.mailstream.delivery.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which polled records of each partition are finished, so that a worker with many messages in
 * flight commits only up to the last contiguous finished record whose outcomes Kafka has stored,
 * and lists the finished ones past it in the commit's metadata ({@link FinishedOffsets}): a slow
 * message holds back the committed offset but is never skipped, the fast ones behind it are not
 * delivered again by the partition's next owner, and nothing is committed before what its attempt
 * wrote.
 *
 * <p>A record is finished with the number of the last send made for it ({@link
 * AcknowledgedSends#lastSent}); it becomes committable once every send up to that number is
 * answered. Not thread-safe: used by the worker's thread only.
 */
final class OffsetTracker {
  private static final long UNFINISHED = -1;
  /**
   * A partition's list is committed again this long after its last commit even if nothing changed,
   * so that its moment stays recent: a next owner looks up stored deliveries from that moment on.
   */
  static final Duration REFRESH = Duration.ofSeconds(30);

  private final Map<TopicPartition, Progress> partitions = new HashMap<>();

  /** One partition, from its first record not committed on. */
  private static final class Progress {
    /** Records polled and not passed yet, in order, each with its last send (or UNFINISHED). */
    final TreeMap<Long, Long> open = new TreeMap<>();
    /** Records passed (they and all before them finished and stored) whose offsets are not committed yet. */
    final TreeSet<Long> passed = new TreeSet<>();
    /** The offset after the last record passed; -1 before the first. */
    long finishedUpTo = -1;
    /** The last commit answered, or the one the partition came with; and what it lists past its offset. */
    OffsetAndMetadata committed;
    FinishedOffsets committedPast = FinishedOffsets.NONE;
    /**
     * Whether {@link #committed} is this worker's: its moment is then in this worker's clock. One the
     * partition came with was made in another's, which may run ahead or behind.
     */
    boolean committedHere;
    /** When the partition came, in this worker's clock: the refresh of a commit not made here counts from it. */
    long resumedAt;
    /** The last commit asked for, while it is under way. */
    OffsetAndMetadata asked;
    /** Records finished before this worker read them (by the previous owner, or before a rewind). */
    FinishedOffsets inherited = FinishedOffsets.NONE;
    long firstUncommitted = -1;

    void committed(OffsetAndMetadata o) {
      committed = o;
      committedPast = FinishedOffsets.parse(o.metadata(), o.offset());
    }

    /** Whether the commit's moment is {@link #REFRESH} old at {@code now}, in this worker's clock. */
    boolean stale(long now) {
      return committed != null && now - (committedHere ? committedPast.asOf() : resumedAt) >= REFRESH.toMillis();
    }

    /** Where the next commit would be: after the records passed, or at the first one held. */
    long next() {
      return finishedUpTo >= 0 ? finishedUpTo : open.isEmpty() ? -1 : open.firstKey();
    }
  }

  /**
   * A partition comes to this worker with its last commit ({@code null} when it has none): returns
   * the records that commit lists as finished past its offset, which {@link #finishedBefore} then
   * names as they are read.
   */
  FinishedOffsets resume(TopicPartition tp, OffsetAndMetadata committed) {
    return resume(tp, committed, System.currentTimeMillis());
  }

  /** {@link #resume(TopicPartition, OffsetAndMetadata)} at {@code now}. */
  FinishedOffsets resume(TopicPartition tp, OffsetAndMetadata committed, long now) {
    Progress p = new Progress();
    p.resumedAt = now;
    if (committed != null) {
      p.committed(committed);
      p.inherited = p.committedPast;
    }
    partitions.put(tp, p);
    return p.inherited;
  }

  /**
   * The consumer returned records of {@code tp} from {@code offset} on: a rewind reads it again
   * from there at the latest, whether or not they were started.
   */
  void polled(TopicPartition tp, long offset) {
    Progress p = partitions.computeIfAbsent(tp, t -> new Progress());
    if (p.firstUncommitted < 0) {
      p.firstUncommitted = offset;
    }
  }

  void started(TopicPartition tp, long offset) {
    Progress p = partitions.computeIfAbsent(tp, t -> new Progress());
    p.open.put(offset, UNFINISHED);
    if (p.firstUncommitted < 0) {
      p.firstUncommitted = offset;
    }
  }

  /** Whether the record at {@code offset} was finished before this worker read it: it is not attempted again. */
  boolean finishedBefore(TopicPartition tp, long offset) {
    Progress p = partitions.get(tp);
    return p != null && p.inherited.contains(offset);
  }

  /**
   * The record at {@code offset} is finished; {@code lastSend} numbers the last record sent for it
   * (and for everything finished before it).
   */
  void finished(TopicPartition tp, long offset, long lastSend) {
    Progress p = partitions.get(tp);
    if (p == null || !p.open.containsKey(offset)) {
      return; // A partition given up since (revoked or rewound).
    }
    p.open.put(offset, Math.max(0, lastSend));
  }

  /** Records polled and not finished, over all partitions. */
  int unfinished() {
    int n = 0;
    for (Progress p : partitions.values()) {
      for (long lastSend : p.open.values()) {
        n += lastSend == UNFINISHED ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Records finished that no commit answered covers, by its offset or its list, over all
   * partitions: what a crash now would make the next owner repeat.
   */
  int uncommitted() {
    int n = 0;
    for (Progress p : partitions.values()) {
      for (long offset : p.passed) {
        n += p.committedPast.contains(offset) ? 0 : 1;
      }
      for (Map.Entry<Long, Long> e : p.open.entrySet()) {
        n += e.getValue() == UNFINISHED || p.committedPast.contains(e.getKey()) ? 0 : 1;
      }
    }
    return n;
  }

  /**
   * The commits to ask for now, given that every send up to {@code storedUpTo} is answered: per
   * partition, the offset after its last contiguous finished record whose sends are all answered,
   * with the finished ones past it whose sends are too; not those already committed or asked for
   * by a commit under way ({@link #asked}).
   */
  Map<TopicPartition, OffsetAndMetadata> committable(long storedUpTo) {
    return committable(storedUpTo, System.currentTimeMillis());
  }

  /** {@link #committable(long)}, its lists made at {@code now}. */
  Map<TopicPartition, OffsetAndMetadata> committable(long storedUpTo, long now) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    partitions.forEach((tp, p) -> {
      while (!p.open.isEmpty()) {
        Map.Entry<Long, Long> first = p.open.firstEntry();
        if (!stored(first.getValue(), storedUpTo)) {
          break;
        }
        p.open.pollFirstEntry();
        p.finishedUpTo = first.getKey() + 1;
        p.passed.add(first.getKey());
      }
      boolean stale = p.stale(now);
      long next = p.next();
      if (next < 0) {
        if (!stale) {
          return;
        }
        next = p.committed.offset(); // nothing read since: only the moment is new
      }
      // What the partition came with is still finished, read or not: listed until passed.
      FinishedOffsets past = finishedPast(p, storedUpTo).and(p.inherited);
      if (p.finishedUpTo < 0 && past.isEmpty() && !stale) {
        return; // nothing finished: the offset it was read from says all
      }
      OffsetAndMetadata o = new OffsetAndMetadata(next, past.text(next, now));
      if ((!same(o, p.committed) || stale) && !same(o, p.asked)) {
        out.put(tp, o);
      }
    });
    return out;
  }

  /**
   * The records held whose sends are all answered. Consecutive ones make one range even when their
   * offsets are not (transaction markers between them hold no record).
   */
  private static FinishedOffsets finishedPast(Progress p, long storedUpTo) {
    FinishedOffsets.Builder ranges = FinishedOffsets.builder();
    long runStart = -1;
    long runEnd = -1;
    for (Map.Entry<Long, Long> e : p.open.entrySet()) {
      if (stored(e.getValue(), storedUpTo)) {
        runStart = runStart < 0 ? e.getKey() : runStart;
        runEnd = e.getKey();
      } else if (runStart >= 0) {
        ranges.add(runStart, runEnd);
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      ranges.add(runStart, runEnd);
    }
    return ranges.build();
  }

  // When the last commit was asked for, in the list's clock (-1 for a commit not of this form).
  private static long committedAt(OffsetAndMetadata o) {
    return FinishedOffsets.parse(o.metadata(), o.offset()).asOf();
  }

  private static boolean stored(long lastSend, long storedUpTo) {
    return lastSend != UNFINISHED && lastSend <= storedUpTo;
  }

  private static boolean same(OffsetAndMetadata a, OffsetAndMetadata b) {
    return b != null && a.offset() == b.offset() && FinishedOffsets.sameRecords(a.metadata(), b.metadata());
  }

  /** A commit of {@code offsets} is under way: {@link #committable} leaves them out until it is answered. */
  void asked(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      Progress p = partitions.get(tp);
      if (p != null) {
        p.asked = o;
      }
    });
  }

  /** The commit of {@code offsets} was refused: those of them no later commit asks for are offered again. */
  void refused(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      Progress p = partitions.get(tp);
      if (p != null && same(o, p.asked)) {
        p.asked = null;
      }
    });
  }

  /** Offers again what commits under way ask for: for a commit that must cover everything finished. */
  void askAgain() {
    partitions.values().forEach(p -> p.asked = null);
  }

  /** The offsets were committed. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      Progress p = partitions.get(tp);
      if (p == null) {
        return; // Forgotten while the commit was under way.
      }
      // Answers come in the order the commits were asked, but a synchronous commit can be
      // answered before the asynchronous ones before it: an older one never moves it back.
      if (p.committed == null || !p.committedHere || o.offset() > p.committed.offset()
          || (o.offset() == p.committed.offset() && committedAt(o) >= p.committedPast.asOf())) {
        p.committed(o);
        p.committedHere = true;
      }
      if (p.asked != null && p.asked.offset() == o.offset() && p.asked.metadata().equals(o.metadata())) {
        p.asked = null; // answered: a later commit of the same records (a refresh) may be asked for
      }
      p.passed.headSet(o.offset()).clear();
      p.firstUncommitted = Math.max(p.firstUncommitted, o.offset());
    });
  }

  /**
   * Where to read {@code tp} again from after a failure: the first record not committed, or -1
   * when nothing of it is held.
   */
  long rewindTo(TopicPartition tp) {
    Progress p = partitions.get(tp);
    return p == null ? -1 : p.firstUncommitted;
  }

  /**
   * {@code tp} is read again from {@link #rewindTo}: what was read since is forgotten, but the
   * records the last commit answered lists as finished are still not attempted again.
   */
  void rewound(TopicPartition tp) {
    Progress p = partitions.get(tp);
    if (p == null) {
      return;
    }
    Progress fresh = new Progress();
    fresh.inherited = p.inherited;
    fresh.committedHere = p.committedHere;
    fresh.resumedAt = p.resumedAt;
    if (p.committed != null) {
      fresh.committed(p.committed);
      fresh.inherited = fresh.inherited.and(fresh.committedPast);
    }
    partitions.put(tp, fresh);
  }

  /** Forgets a partition (revoked or lost). */
  void forget(TopicPartition tp) {
    partitions.remove(tp);
  }

  /** The partitions this tracker holds. */
  Set<TopicPartition> partitions() {
    return new HashSet<>(partitions.keySet());
  }
}
