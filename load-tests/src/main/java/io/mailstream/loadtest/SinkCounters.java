package io.mailstream.loadtest;

import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import java.time.Duration;
import java.util.Locale;

/**
 * What the counting sink has seen, shared by all its connections, and the one decision the sink
 * makes: accept a message, or reject every K-th to test that clients count refusals.
 */
final class SinkCounters {
  private final int rejectEvery;
  private long connections;
  private long ended;
  private long messages;
  private long rejected;
  private long recipients;
  private long octets;
  private long firstNanos;
  private long lastNanos;
  private long firstEpochMillis;
  private long lastEpochMillis;

  /** @param rejectEvery reject every K-th message at end of data; 0 accepts all */
  SinkCounters(int rejectEvery) {
    this.rejectEvery = rejectEvery;
  }

  synchronized void connected() {
    connections++;
  }

  /** Decides on a complete message and counts it; the reply goes back to the client. */
  synchronized Reply endOfData(int rcpts, long size) {
    ended++;
    if (rejectEvery > 0 && ended % rejectEvery == 0) {
      rejected++;
      notifyAll();
      return Reply.perm(550, EnhancedStatus.X_5_7_1, "Rejected by the counting sink (--reject-every)");
    }
    long now = System.nanoTime();
    if (messages == 0) {
      firstNanos = now;
      firstEpochMillis = System.currentTimeMillis();
    }
    messages++;
    recipients += rcpts;
    octets += size;
    lastNanos = now;
    lastEpochMillis = System.currentTimeMillis();
    notifyAll();
    return Reply.ok(250, EnhancedStatus.X_2_0_0, "Ok: queued as " + messages);
  }

  /**
   * Waits until {@code expect} messages were accepted, the deadline passed, or (once a message
   * arrived) none came for {@code idle}; returns whether the expected count was reached.
   */
  synchronized boolean await(long expect, Duration timeout, Duration idle)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (messages < expect) {
      long now = System.nanoTime();
      long wait = deadline - now;
      if (!idle.isZero() && messages > 0) {
        wait = Math.min(wait, lastNanos + idle.toNanos() - now);
      }
      if (wait <= 0) {
        return false;
      }
      wait(Math.max(1, wait / 1_000_000));
    }
    return true;
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(connections, messages, rejected, recipients, octets,
        lastNanos - firstNanos, firstEpochMillis, lastEpochMillis);
  }

  /** Counts at one moment; {@code spanNanos} runs from the first to the last accepted message. */
  record Snapshot(long connections, long messages, long rejected, long recipients, long octets,
      long spanNanos, long firstEpochMillis, long lastEpochMillis) {

    double spanSeconds() {
      return spanNanos / 1e9;
    }

    /** Messages per second between the first and the last message; 0 with fewer than two. */
    double rate() {
      return messages < 2 || spanNanos <= 0 ? 0 : (messages - 1) / spanSeconds();
    }

    String render() {
      return String.format(Locale.ROOT,
          "sink: %d messages (%d recipients, %.1f MB), %d rejected, over %d connections%n"
              + "first to last message: %.3f s, %.1f msgs/s%n"
              + "SINK messages=%d connections=%d rejected=%d span_s=%.3f rate=%.1f"
              + " first_ms=%d last_ms=%d%n",
          messages, recipients, octets / 1e6, rejected, connections, spanSeconds(), rate(),
          messages, connections, rejected, spanSeconds(), rate(), firstEpochMillis,
          lastEpochMillis);
    }
  }
}
