package io.mailstream.delivery.client;

import io.mailstream.core.config.DurationText;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the delivery workers of a node know about next hops that could not be reached, after
 * sendmail's host status directory: a host that refused the connection, did not answer or said
 * {@code 421} at greeting is marked down, and mail for it is deferred at once, without connecting,
 * until the host's back-off has passed. Then one connection is tried (a probe) while the other
 * messages are still deferred; if it fails, the back-off doubles up to its maximum, if it works,
 * the host is up again. A dead host is thus tried once per interval, not once per message.
 *
 * <p>Thread-safe; shared by the node's workers through one {@link ConnectionPool}.
 */
public final class HostStatus {
  /** sendmail marks hosts down for its queue run; a minute doubling to 30 (its Timeout.hoststatus). */
  public static final Duration DEFAULT_INITIAL = Duration.ofMinutes(1);

  public static final Duration DEFAULT_MAX = Duration.ofMinutes(30);

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private record Down(ReplyRecord reason, long sinceMillis, long backoffMillis, long retryAtMillis) {}

  private final Map<String, Down> down = new ConcurrentHashMap<>();
  private final long initialMillis;
  private final long maxMillis;
  private final LongSupplier clock;

  /**
   * @param initial how long a host stays down after its first failure; zero turns the cache off
   * @param max the longest back-off, reached by doubling
   */
  public HostStatus(Duration initial, Duration max) {
    this(initial, max, System::currentTimeMillis);
  }

  HostStatus(Duration initial, Duration max, LongSupplier clock) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = Math.max(initial.toMillis(), max.toMillis());
    this.clock = clock;
  }

  /** A cache that never marks a host down: every message tries for itself. */
  public static HostStatus off() {
    return new HostStatus(Duration.ZERO, Duration.ZERO);
  }

  /**
   * The reply for mail to {@code key} while the host is down, or empty when it may be tried. When
   * the back-off has passed, exactly one caller gets empty (the probe); the next retry time moves
   * on by the back-off, so the others keep being deferred until the probe has answered.
   */
  Optional<ReplyRecord> blocked(String key) {
    Down d = down.get(key);
    if (d == null) {
      return Optional.empty();
    }
    long now = clock.getAsLong();
    if (now >= d.retryAtMillis()) {
      Down probing = new Down(d.reason(), d.sinceMillis(), d.backoffMillis(), now + d.backoffMillis());
      if (down.replace(key, d, probing)) {
        return Optional.empty();
      }
      d = down.getOrDefault(key, d);
    }
    return Optional.of(deferral(key, d));
  }

  /**
   * Records that a session with {@code key} could not be set up; marks it down when the failure
   * says the host is unreachable or not answering (not a TLS, AUTH or permanent refusal).
   */
  void failed(String key, ReplyRecord reason) {
    if (initialMillis == 0 || !marksDown(reason)) {
      return;
    }
    long now = clock.getAsLong();
    down.compute(key, (k, d) -> {
      long backoff = d == null ? initialMillis : Math.min(maxMillis, d.backoffMillis() * 2);
      long since = d == null ? now : d.sinceMillis();
      return new Down(reason, since, backoff, now + backoff);
    });
  }

  /** A session with {@code key} was set up: the host is up. */
  void succeeded(String key) {
    if (!down.isEmpty()) {
      down.remove(key);
    }
  }

  /** Whether {@code key} is marked down now (for tests and metrics). */
  public boolean isDown(String key) {
    return down.containsKey(key);
  }

  private static boolean marksDown(ReplyRecord r) {
    return r.code() / 100 == 4 && (r.dsn() == null || !r.dsn().startsWith("4.7."));
  }

  private static ReplyRecord deferral(String key, Down d) {
    // sendmail: "Deferred: Connection refused by mx.example." without connecting again.
    String why = String.join(" ", d.reason().lines());
    return ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_4_1,
        "Host " + key + " is down since " + CLOCK.format(Instant.ofEpochMilli(d.sinceMillis())) + " (" + why
            + "); not tried again before " + CLOCK.format(Instant.ofEpochMilli(d.retryAtMillis()))
            + ", back-off " + DurationText.format(Duration.ofMillis(d.backoffMillis()))));
  }
}
