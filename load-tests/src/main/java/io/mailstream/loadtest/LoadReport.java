package io.mailstream.loadtest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Outcome tallies of a generator run. Workers record into it concurrently; {@link #freeze} fixes
 * the elapsed time, after which the figures are read.
 *
 * <p>A message is <em>accepted</em> when the reply to its end-of-data mark is 2xx, <em>rejected</em>
 * when the server refused it at any step (greeting, MAIL, all RCPTs, DATA or the final reply), and
 * <em>failed</em> when the connection broke or timed out.
 */
final class LoadReport {
  private final long[] latencies;
  // When each accepted message's reply came, in nanoseconds since the start: the time series.
  private final long[] acceptedAt;
  private final AtomicInteger latencyCount = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final Map<Integer, LongAdder> rejectCodes = new ConcurrentHashMap<>();
  private final AtomicReference<String> firstReject = new AtomicReference<>();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final long startEpochMillis;
  private final long startNanos;
  private long elapsedNanos = -1;
  private long[] sorted;

  LoadReport(int messages) {
    this.latencies = new long[messages];
    this.acceptedAt = new long[messages];
    this.startEpochMillis = System.currentTimeMillis();
    this.startNanos = System.nanoTime();
  }

  void accepted(long latencyNanos) {
    int i = latencyCount.getAndIncrement();
    latencies[i] = latencyNanos;
    acceptedAt[i] = System.nanoTime() - startNanos;
  }

  void rejected(ServerReply reply) {
    rejected.incrementAndGet();
    rejectCodes.computeIfAbsent(reply.code(), c -> new LongAdder()).increment();
    firstReject.compareAndSet(null, reply.lastLine());
  }

  void failed(Exception e) {
    failed.incrementAndGet();
    firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** Ends the clock; called once after all workers have finished. */
  synchronized void freeze() {
    elapsedNanos = System.nanoTime() - startNanos;
    sorted = Arrays.copyOf(latencies, latencyCount.get());
    Arrays.sort(sorted);
  }

  /** How many outcomes the report was sized for. */
  int capacity() {
    return latencies.length;
  }

  int accepted() {
    return latencyCount.get();
  }

  int rejected() {
    return rejected.get();
  }

  int failed() {
    return failed.get();
  }

  int sent() {
    return accepted() + rejected() + failed();
  }

  String firstReject() {
    return firstReject.get();
  }

  double elapsedSeconds() {
    return elapsedNanos / 1e9;
  }

  double rate() {
    return elapsedNanos <= 0 ? 0 : accepted() / elapsedSeconds();
  }

  /** Nearest-rank percentile of the accept latency in milliseconds; 0 when nothing was accepted. */
  double percentileMillis(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
  }

  /**
   * The run second by second (by when each reply came): accepted messages and the accept latency
   * of those, for charts. Valid after {@link #freeze}.
   */
  TimeSeries timeSeries() {
    int n = latencyCount.get();
    return TimeSeries.of(Arrays.copyOf(acceptedAt, n), Arrays.copyOf(latencies, n));
  }

  /** The human-readable report followed by the one RESULT line for scripts. */
  String render(LoadSettings settings) {
    StringBuilder s = new StringBuilder();
    s.append("target    ").append(settings.describe()).append('\n');
    s.append("sent      ").append(sent()).append('\n');
    s.append("accepted  ").append(accepted()).append('\n');
    s.append("rejected  ").append(rejected());
    if (rejected() > 0) {
      s.append("  by code ").append(new TreeMap<>(rejectCodes)).append(", first: ");
      s.append(firstReject());
    }
    s.append('\n');
    s.append("failed    ").append(failed());
    if (failed() > 0) {
      s.append("  first: ").append(firstError.get());
    }
    s.append('\n');
    s.append(fmt("elapsed   %.3f s%n", elapsedSeconds()));
    s.append(fmt("rate      %.1f accepted msgs/s%n", rate()));
    s.append(fmt("accept latency ms  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
        percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(100)));
    s.append(resultLine()).append('\n');
    return s.toString();
  }

  String resultLine() {
    return fmt("RESULT sent=%d accepted=%d rejected=%d failed=%d elapsed_s=%.3f rate=%.1f"
            + " p50=%.2f p90=%.2f p99=%.2f max=%.2f start_ms=%d",
        sent(), accepted(), rejected(), failed(), elapsedSeconds(), rate(),
        percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(100),
        startEpochMillis);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
