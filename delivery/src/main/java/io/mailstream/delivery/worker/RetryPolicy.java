package io.mailstream.delivery.worker;

import io.mailstream.core.config.DeliverySettings;
import io.mailstream.core.config.DurationText;
import io.mailstream.queue.state.RetryEntry;
import java.time.Duration;
import java.util.List;

/**
 * When to try a deferred recipient again, when to warn the sender and when to give up: sendmail's
 * queue runs (a schedule whose last wait repeats), its Timeout.queuewarn and Timeout.queuereturn
 * (the warning time and the queue lifetime, both counted from acceptance).
 *
 * @param warnAfter when a still deferred recipient earns the sender a warning; zero for never
 */
public record RetryPolicy(List<Duration> schedule, Duration lifetime, Duration warnAfter) {

  public RetryPolicy {
    schedule = List.copyOf(schedule);
    if (schedule.isEmpty()) {
      throw new IllegalArgumentException("a retry schedule needs at least one wait");
    }
    if (warnAfter.isNegative()) {
      throw new IllegalArgumentException("a negative warning time: " + warnAfter);
    }
  }

  /** A policy that sends no delay warnings. */
  public RetryPolicy(List<Duration> schedule, Duration lifetime) {
    this(schedule, lifetime, Duration.ZERO);
  }

  public static RetryPolicy of(DeliverySettings settings) {
    return new RetryPolicy(settings.retrySchedule(), settings.queueLifetime(), settings.queueWarn());
  }

  /** The next attempt time after attempt number {@code attempts} (1-based) failed at {@code now}. */
  public long nextAttempt(int attempts, long nowMillis) {
    return nowMillis + waitAfter(attempts).toMillis();
  }

  private Duration waitAfter(int attempts) {
    return schedule.get(Math.min(attempts, schedule.size()) - 1);
  }

  /**
   * Whether an attempt recorded at {@code now} that defers recipients of a message accepted at
   * {@code acceptedAt} is the one that warns the sender: the first attempt at or after the warning
   * time. {@code previous} is the retry entry the attempt came from, or null for a first attempt.
   *
   * <p>No state says whether the warning went out; the retry entry tells when the previous attempt
   * was recorded. {@link OutcomeRecorder}, the only writer of retry entries, stores {@code nextAttemptAt = nextAttempt(attempts, end)},
   * where {@code end} is the time that attempt was recorded (the same {@code now} this method gets),
   * so {@code end = nextAttemptAt - waitAfter(attempts)} exactly. Whether the retry then ran on time
   * or late does not matter: only the previous attempt's own time and this one's are compared, so
   * exactly one attempt of a deferred delivery straddles the warning time. Two caveats: a retry
   * schedule changed between the two attempts (a restart with another config) reconstructs the
   * wrong time and can warn twice or not at all, and a crash after the warning but before the
   * retry entry is stored repeats the attempt and its warning (at least once, as for failures).
   */
  public boolean warnsNow(long acceptedAtMillis, RetryEntry previous, long nowMillis) {
    if (warnAfter.isZero()) {
      return false;
    }
    long warnAt = acceptedAtMillis + warnAfter.toMillis();
    if (nowMillis < warnAt) {
      return false;
    }
    return previous == null || previousAttemptAt(previous) < warnAt;
  }

  /** When the attempt that stored {@code entry} was recorded (see {@link #warnsNow}). */
  long previousAttemptAt(RetryEntry entry) {
    return entry.nextAttemptAtMillis() - waitAfter(entry.attempts()).toMillis();
  }

  /** Whether a message accepted at {@code acceptedAt} has outlived the queue lifetime. */
  public boolean expired(long acceptedAtMillis, long nowMillis) {
    return nowMillis - acceptedAtMillis >= lifetime.toMillis();
  }

  /** sendmail's wording for the lifetime, e.g. {@code 5 days}. */
  public String lifetimeText() {
    String t = DurationText.format(lifetime);
    String unit = switch (t.charAt(t.length() - 1)) {
      case 'd' -> "day";
      case 'h' -> "hour";
      case 'm' -> "minute";
      default -> "second";
    };
    String n = t.substring(0, t.length() - 1);
    return n + " " + unit + (n.equals("1") ? "" : "s");
  }
}
