package io.mailstream.loadtest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-second figures of a run: how many messages (or records) were accepted in each second and
 * their latency percentiles. Written as CSV beside the run's report, and read back by {@link
 * CompareReport} for the chart.
 */
record TimeSeries(List<Second> seconds) {

  /** One second of a run; {@code t} counts from the run's start, latencies in milliseconds. */
  record Second(int t, int accepted, double p50, double p99, double max) {}

  static final String HEADER = "second,accepted,p50_ms,p99_ms,max_ms";

  /**
   * Buckets events by the second in which they completed.
   *
   * @param doneAtNanos completion time of each event since the run's start
   * @param latencyNanos the latency of the same events, index for index
   */
  static TimeSeries of(long[] doneAtNanos, long[] latencyNanos) {
    if (doneAtNanos.length != latencyNanos.length) {
      throw new IllegalArgumentException("one latency per event");
    }
    int last = -1;
    for (long at : doneAtNanos) {
      last = Math.max(last, (int) (at / 1_000_000_000L));
    }
    List<List<Long>> buckets = new ArrayList<>();
    for (int i = 0; i <= last; i++) {
      buckets.add(new ArrayList<>());
    }
    for (int i = 0; i < doneAtNanos.length; i++) {
      buckets.get((int) (doneAtNanos[i] / 1_000_000_000L)).add(latencyNanos[i]);
    }
    List<Second> seconds = new ArrayList<>();
    for (int t = 0; t <= last; t++) {
      long[] sorted = buckets.get(t).stream().mapToLong(Long::longValue).sorted().toArray();
      seconds.add(new Second(t, sorted.length, pct(sorted, 50), pct(sorted, 99), pct(sorted, 100)));
    }
    return new TimeSeries(List.copyOf(seconds));
  }

  /** Nearest-rank percentile in milliseconds; 0 for an empty second. */
  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
  }

  String toCsv() {
    StringBuilder s = new StringBuilder(HEADER).append('\n');
    for (Second x : seconds) {
      s.append(String.format(Locale.ROOT, "%d,%d,%.3f,%.3f,%.3f%n", x.t, x.accepted, x.p50, x.p99, x.max));
    }
    return s.toString();
  }

  /** Reads what {@link #toCsv} wrote. */
  static TimeSeries parse(List<String> lines) {
    List<Second> seconds = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("second")) {
        continue;
      }
      String[] f = line.split(",");
      double[] d = Arrays.stream(f).mapToDouble(Double::parseDouble).toArray();
      seconds.add(new Second((int) d[0], (int) d[1], d[2], d[3], d[4]));
    }
    return new TimeSeries(List.copyOf(seconds));
  }
}
