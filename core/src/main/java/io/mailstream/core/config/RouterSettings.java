package io.mailstream.core.config;

import java.time.Duration;

/**
 * How a node runs its router stage.
 *
 * @param workers router workers in this process, each a member of the router's consumer group
 *     with a Kafka transaction of its own; more than the accepted topic's partitions (over all
 *     nodes) leaves some idle
 * @param commitInterval how long one routing transaction stays open, over as many polls as come:
 *     its commit markers, and the fsyncs they cost, are paid once per interval instead of once
 *     per poll. It also delays a routed message by up to this long, and stays far below the
 *     producer's transaction time-out ({@link #MAX_COMMIT_INTERVAL})
 * @param commitRecords a transaction commits early once it holds this many accepted records, so
 *     that a backlog (a restart, a burst) does not make a transaction large
 */
public record RouterSettings(int workers, Duration commitInterval, int commitRecords) {

  /**
   * A third of the routing producer's transaction time-out (15 s), so that a slow commit still
   * ends well before the coordinator would abort the transaction.
   */
  public static final Duration MAX_COMMIT_INTERVAL = Duration.ofSeconds(5);

  /**
   * Two workers: a 2-core node routes with one while the other waits for its commit (a round
   * trip and the broker's fsyncs of the commit markers); more add producers, connections and
   * commit markers per interval without adding cores to route with.
   */
  public static final RouterSettings DEFAULT = new RouterSettings(2, Duration.ofMillis(100), 1000);

  public RouterSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("router.workers: must be at least 1, got " + workers);
    }
    if (commitInterval.isNegative() || commitInterval.isZero() || commitInterval.compareTo(MAX_COMMIT_INTERVAL) > 0) {
      throw new IllegalArgumentException("router.commit-interval: must be between 1ms and "
          + DurationText.format(MAX_COMMIT_INTERVAL) + ", got " + DurationText.format(commitInterval));
    }
    if (commitRecords < 1) {
      throw new IllegalArgumentException("router.commit-records: must be at least 1, got " + commitRecords);
    }
  }
}
