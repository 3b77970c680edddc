package io.mailstream.core.config;

import java.time.Duration;
import java.util.List;

/**
 * How the delivery stage talks to next hops.
 *
 * @param threads concurrent SMTP transactions per delivery worker
 * @param maxIdleConnections idle connections kept per destination for reuse
 * @param idleTimeout how long an idle connection is kept before QUIT
 * @param connectTimeout TCP connect time-out
 * @param retrySchedule waits between attempts; the last one repeats (sendmail's queue runs)
 * @param queueLifetime how long a recipient may stay deferred before it bounces (sendmail's
 *     Timeout.queuereturn)
 * @param queueWarn how long a recipient may stay deferred before the sender is warned once
 *     (sendmail's Timeout.queuewarn), counted from acceptance like the lifetime; zero for no
 *     warnings, which is also what a queue lifetime at or below the default (4h) gives when
 *     queue-warn is not set
 */
public record DeliverySettings(
    int threads,
    int maxIdleConnections,
    Duration idleTimeout,
    Duration connectTimeout,
    List<Duration> retrySchedule,
    Duration queueLifetime,
    Duration queueWarn) {

  public DeliverySettings {
    retrySchedule = List.copyOf(retrySchedule);
  }
}
