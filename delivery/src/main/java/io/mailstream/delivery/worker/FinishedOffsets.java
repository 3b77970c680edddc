package io.mailstream.delivery.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records of one routed partition finished past its committed offset, carried in the metadata of
 * the offset commit. A committed offset says only "everything before this is finished"; one
 * message that takes long (a slow next hop, a connection still waited for) holds it back while the
 * messages behind it finish, and without this list their partition's next owner (after a crash, a
 * stop or a partition move) would deliver every one of them again. The next owner reads the list
 * with the committed offset and skips what it names: a commit lists a record only once Kafka has
 * stored its outcomes, exactly as it moves the offset past one.
 *
 * <p>The list also says when it was made ({@link #asOf}, the worker's clock when it asked for the
 * commit): what finished after that is not in it (nor what had finished before but whose sends
 * Kafka had not acknowledged yet, nor ranges past {@link #MAX_TEXT}), and the next owner looks for
 * the stored deliveries of those messages on the outcomes topic from that moment on ({@link
 * StoredDeliveries}). A worker carries the list it came with forward in its own commits until its
 * offset passes it, and commits again every {@link OffsetTracker#REFRESH} to keep the moment recent.
 *
 * <p>The text: {@code f1:}, the moment in milliseconds, {@code :}, and then ranges, each as its
 * distance from the end of the one before (from the committed offset for the first) and its
 * length, all in base 36: {@code f1:mbx1ht2o:1.3,2.a}. A range may span offsets that hold no record
 * (transaction markers), which no consumer sees. Any other text, Kafka's empty default included,
 * lists nothing and says no moment.
 */
final class FinishedOffsets {
  static final FinishedOffsets NONE = new FinishedOffsets(new long[0], new long[0], -1);
  // Well under the broker's offset.metadata.max.bytes (4,096 by default), over which it refuses the
  // whole commit. Ranges past it are left out: their records are delivered again after a crash.
  static final int MAX_TEXT = 1024;
  private static final String VERSION = "f1:";

  private final long[] starts; // ascending, inclusive
  private final long[] ends; // exclusive; ends[i] < starts[i + 1]
  private final long asOf;

  private FinishedOffsets(long[] starts, long[] ends, long asOf) {
    this.starts = starts;
    this.ends = ends;
    this.asOf = asOf;
  }

  /** Collects ranges in ascending order. */
  static final class Builder {
    private final List<long[]> ranges = new ArrayList<>();

    /** Offsets {@code from} to {@code to} (inclusive) are finished. */
    Builder add(long from, long to) {
      if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] >= from) {
        long[] last = ranges.get(ranges.size() - 1);
        last[1] = Math.max(last[1], to + 1);
      } else {
        ranges.add(new long[] {from, to + 1});
      }
      return this;
    }

    FinishedOffsets build() {
      return new FinishedOffsets(ranges.stream().mapToLong(r -> r[0]).toArray(),
          ranges.stream().mapToLong(r -> r[1]).toArray(), -1);
    }
  }

  static Builder builder() {
    return new Builder();
  }

  /** The list in the metadata of a commit at {@code committed}; anything not written by {@link #text} lists nothing. */
  static FinishedOffsets parse(String metadata, long committed) {
    if (metadata == null || !metadata.startsWith(VERSION)) {
      return NONE;
    }
    int colon = metadata.indexOf(':', VERSION.length());
    if (colon < 0) {
      return NONE;
    }
    String ranges = metadata.substring(colon + 1);
    String[] parts = ranges.isEmpty() ? new String[0] : ranges.split(",", -1);
    long[] starts = new long[parts.length];
    long[] ends = new long[parts.length];
    long previous = committed;
    long asOf;
    try {
      asOf = Long.parseLong(metadata.substring(VERSION.length(), colon), 36);
      for (int i = 0; i < parts.length; i++) {
        int dot = parts[i].indexOf('.');
        long gap = Long.parseLong(parts[i].substring(0, dot), 36);
        long length = Long.parseLong(parts[i].substring(dot + 1), 36);
        if (gap < 0 || length <= 0 || (i > 0 && gap == 0)) {
          return NONE;
        }
        starts[i] = previous + gap;
        ends[i] = starts[i] + length;
        previous = ends[i];
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return NONE; // not ours: skipping nothing only repeats, never loses
    }
    return asOf < 0 ? NONE : new FinishedOffsets(starts, ends, asOf);
  }

  /**
   * The metadata for a commit at {@code committed} asked for at {@code asOf}: the ranges past the
   * offset, as many as fit in {@link #MAX_TEXT}, lowest first (the next owner reaches those first).
   */
  String text(long committed, long asOf) {
    StringBuilder out = new StringBuilder(VERSION).append(Long.toString(asOf, 36)).append(':');
    int empty = out.length();
    long previous = committed;
    for (int i = 0; i < starts.length; i++) {
      if (ends[i] <= committed) {
        continue; // before the committed offset: the offset says it already
      }
      long start = Math.max(starts[i], committed);
      String range = Long.toString(start - previous, 36) + "." + Long.toString(ends[i] - start, 36);
      if (out.length() + 1 + range.length() > MAX_TEXT) {
        break;
      }
      out.append(out.length() == empty ? "" : ",").append(range);
      previous = ends[i];
    }
    return out.toString();
  }

  /** Whether two commits' metadata list the same records, whenever each was made. */
  static boolean sameRecords(String a, String b) {
    return records(a).equals(records(b));
  }

  private static String records(String metadata) {
    int colon = metadata == null || !metadata.startsWith(VERSION) ? -1 : metadata.indexOf(':', VERSION.length());
    return colon < 0 ? "" : metadata.substring(colon + 1);
  }

  /** When the list was made, in the clock of the worker that made it; -1 for none. */
  long asOf() {
    return asOf;
  }

  /** The records in either list (no moment: it is a list to write). */
  FinishedOffsets and(FinishedOffsets other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<long[]> all = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      all.add(new long[] {starts[i], ends[i]});
    }
    for (int i = 0; i < other.starts.length; i++) {
      all.add(new long[] {other.starts[i], other.ends[i]});
    }
    all.sort((x, y) -> Long.compare(x[0], y[0]));
    Builder merged = builder();
    all.forEach(r -> merged.add(r[0], r[1] - 1));
    return merged.build();
  }

  boolean contains(long offset) {
    int i = Arrays.binarySearch(starts, offset);
    if (i >= 0) {
      return true;
    }
    int before = -i - 2; // the last range starting before offset
    return before >= 0 && offset < ends[before];
  }

  boolean isEmpty() {
    return starts.length == 0;
  }

  /** The ranges as an administrator reads them: {@code 1204-1290, 1295}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < starts.length; i++) {
      out.append(i == 0 ? "" : ", ").append(starts[i]);
      if (ends[i] - starts[i] > 1) {
        out.append('-').append(ends[i] - 1);
      }
    }
    return out.toString();
  }
}
