package io.mailstream.core.config;

import java.nio.file.Path;
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
 * @param starttls whether to use STARTTLS when a next hop offers it (sendmail does by default)
 * @param tlsTrust a PEM bundle of the CAs a next hop's certificate must chain to, or null to
 *     encrypt without verifying (sendmail's confCACERT for the client side)
 * @param authWithoutTls whether credentials from the authinfo file may be sent over a connection
 *     that is not encrypted (default no: such mail is deferred)
 * @param maxConnectionsPerDestination SMTP connections, hence transactions, at once to one
 *     destination from this node (Postfix's default_destination_concurrency_limit)
 * @param maxInFlight messages one worker has in hand at once (polled and not yet recorded); retries
 *     due get a quarter of it on top, of their own
 * @param hostDownBackoff how long a next hop that could not be reached is not tried again (one
 *     probe per interval, the other mail deferred at once); zero turns the host status cache off
 * @param hostDownMaxBackoff the longest such interval; it doubles with each failed probe
 */
public record DeliverySettings(
    int threads,
    int maxIdleConnections,
    Duration idleTimeout,
    Duration connectTimeout,
    List<Duration> retrySchedule,
    Duration queueLifetime,
    Duration queueWarn,
    boolean starttls,
    Path tlsTrust,
    boolean authWithoutTls,
    int maxConnectionsPerDestination,
    int maxInFlight,
    Duration hostDownBackoff,
    Duration hostDownMaxBackoff) {

  public static final int DEFAULT_MAX_CONNECTIONS_PER_DESTINATION = 20;
  public static final int DEFAULT_MAX_IN_FLIGHT = 500;
  public static final Duration DEFAULT_HOST_DOWN_BACKOFF = Duration.ofMinutes(1);
  public static final Duration DEFAULT_HOST_DOWN_MAX_BACKOFF = Duration.ofMinutes(30);

  public DeliverySettings {
    retrySchedule = List.copyOf(retrySchedule);
  }

  /** Settings with the default concurrency and host status cache. */
  public DeliverySettings(
      int threads,
      int maxIdleConnections,
      Duration idleTimeout,
      Duration connectTimeout,
      List<Duration> retrySchedule,
      Duration queueLifetime,
      Duration queueWarn,
      boolean starttls,
      Path tlsTrust,
      boolean authWithoutTls) {
    this(threads, maxIdleConnections, idleTimeout, connectTimeout, retrySchedule, queueLifetime, queueWarn, starttls,
        tlsTrust, authWithoutTls, DEFAULT_MAX_CONNECTIONS_PER_DESTINATION, DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_HOST_DOWN_BACKOFF, DEFAULT_HOST_DOWN_MAX_BACKOFF);
  }

  /** Settings with sendmail's TLS defaults: opportunistic STARTTLS, no verification. */
  public DeliverySettings(
      int threads,
      int maxIdleConnections,
      Duration idleTimeout,
      Duration connectTimeout,
      List<Duration> retrySchedule,
      Duration queueLifetime,
      Duration queueWarn) {
    this(threads, maxIdleConnections, idleTimeout, connectTimeout, retrySchedule, queueLifetime, queueWarn, true,
        null, false);
  }
}
