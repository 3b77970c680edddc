package io.mailstream.ops.metrics;

import io.mailstream.ops.queue.QueueIndex;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The queue as gauges, from the node's view of it ({@link QueueIndex}), per summary state ({@code
 * queued}, {@code deferred}, {@code held}): {@code mailstream_queue_messages{state}} and {@code
 * mailstream_queue_oldest_age_seconds{state}} (0 when no message is in the state). Every node
 * follows the whole cluster's queue, so every node reports the same figures: a sum across nodes
 * would count the queue once per node.
 *
 * <p>Counting walks the whole view under its lock, so the six gauges of one scrape share one
 * count, taken at most once a second however often they are read.
 */
public final class QueueGauges {
  static final List<String> STATES = List.of("queued", "deferred", "held");
  private static final long FRESH_MILLIS = 1_000;

  private final QueueIndex index;
  private final LongSupplier clock;
  private Map<String, QueueIndex.StateCount> counts = Map.of();
  private long countedAt = -1;

  QueueGauges(QueueIndex index, LongSupplier clock) {
    this.index = index;
    this.clock = clock;
  }

  /** Registers the gauges of {@code index} on {@code registry}. */
  public static void register(MeterRegistry registry, QueueIndex index) {
    QueueGauges gauges = new QueueGauges(index, System::currentTimeMillis);
    // Micrometer holds a gauge's object weakly, and nothing else holds this one: without a strong
    // reference the collector takes it and the gauges read NaN.
    for (String state : STATES) {
      Gauge.builder("mailstream.queue.messages", gauges, g -> g.messages(state))
          .strongReference(true)
          .description("messages in the queue in this state, as this node's view of the cluster's queue has them")
          .tag("state", state)
          .register(registry);
      Gauge.builder("mailstream.queue.oldest.age", gauges, g -> g.oldestAgeSeconds(state))
          .strongReference(true)
          .description("how long ago the oldest message in this state arrived (0 when none is)")
          .baseUnit("seconds")
          .tag("state", state)
          .register(registry);
    }
  }

  double messages(String state) {
    QueueIndex.StateCount c = current().get(state);
    return c == null ? 0 : c.messages();
  }

  double oldestAgeSeconds(String state) {
    QueueIndex.StateCount c = current().get(state);
    if (c == null || c.oldestArrivalMillis() == Long.MAX_VALUE) {
      return 0;
    }
    return Math.max(0, clock.getAsLong() - c.oldestArrivalMillis()) / 1000.0;
  }

  private synchronized Map<String, QueueIndex.StateCount> current() {
    long now = clock.getAsLong();
    if (countedAt < 0 || now - countedAt >= FRESH_MILLIS || now < countedAt) {
      counts = index.countByState();
      countedAt = now;
    }
    return counts;
  }
}
