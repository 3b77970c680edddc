package io.mailstream.router.worker;

import io.mailstream.core.event.Destination;
import io.mailstream.core.rules.DestinationLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the router counts for {@code /metrics}: recipients routed, by destination label ({@link
 * DestinationLabels}: configured next hops, {@code local}, {@code other}), and recipients the rules
 * refused ({@code error:} entries, unknown users), which are bounced with the destination label
 * {@code error} after sendmail's error mailer.
 *
 * <p>A worker tallies a transaction in a {@link Tally} of its own and adds it here only once the
 * transaction commits, so an aborted and repeated transaction is counted once.
 */
public final class RouterMetrics {
  /** Metrics that go nowhere, for workers built without a registry. */
  public static final RouterMetrics NONE = new RouterMetrics(new CompositeMeterRegistry(), DestinationLabels::none);

  private final MeterRegistry registry;
  private final Supplier<DestinationLabels> labels;
  private final Map<String, Counter> routed = new ConcurrentHashMap<>();
  private final Counter refused;

  /** @param labels the labels of the configuration version running (it changes with reloads) */
  public RouterMetrics(MeterRegistry registry, Supplier<DestinationLabels> labels) {
    this.registry = registry;
    this.labels = labels;
    this.refused = Counter.builder("mailstream.recipients.bounced")
        .description("recipients given up on, by destination label (error: refused by the routing rules)")
        .tag("destination", "error")
        .register(registry);
  }

  /** One routing transaction's counts, kept by the worker's thread until it commits. */
  final class Tally {
    private final Map<String, Integer> byLabel = new HashMap<>();
    private int errors;

    void routed(Destination destination, int recipients) {
      byLabel.merge(labels.get().label(destination), recipients, Integer::sum);
    }

    void refused(int recipients) {
      errors += recipients;
    }

    /** The transaction committed: its counts become visible. */
    void committed() {
      byLabel.forEach((label, n) -> routed.computeIfAbsent(label, l -> Counter.builder("mailstream.recipients.routed")
          .description("recipients routed, by destination label (configured next hops; local; other)")
          .tag("destination", l)
          .register(registry)).increment(n));
      refused.increment(errors);
      clear();
    }

    void clear() {
      byLabel.clear();
      errors = 0;
    }
  }

  /** The registry these meters are in (dead letters are counted there too). */
  public MeterRegistry registry() {
    return registry;
  }

  Tally tally() {
    return new Tally();
  }
}
