package io.mailstream.delivery.worker;

import io.mailstream.core.config.DeliverySettings;
import io.mailstream.core.config.DurationText;
import java.time.Duration;
import java.util.List;

/**
 * When to try a deferred recipient again and when to give up: sendmail's queue runs (a schedule
 * whose last wait repeats) and its Timeout.queuereturn (the queue lifetime, counted from acceptance).
 */
public record RetryPolicy(List<Duration> schedule, Duration lifetime) {

  public RetryPolicy {
    schedule = List.copyOf(schedule);
    if (schedule.isEmpty()) {
      throw new IllegalArgumentException("a retry schedule needs at least one wait");
    }
  }

  public static RetryPolicy of(DeliverySettings settings) {
    return new RetryPolicy(settings.retrySchedule(), settings.queueLifetime());
  }

  /** The next attempt time after attempt number {@code attempts} (1-based) failed at {@code now}. */
  public long nextAttempt(int attempts, long nowMillis) {
    Duration wait = schedule.get(Math.min(attempts, schedule.size()) - 1);
    return nowMillis + wait.toMillis();
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
