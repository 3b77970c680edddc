package io.mailstream.delivery.worker;

import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.rules.DestinationLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What delivery counts for {@code /metrics}, by destination label ({@link DestinationLabels}: the
 * configured next hops, {@code local}, {@code other}): recipients delivered, deferred and bounced;
 * the time from acceptance to delivery; and how long each attempt (one SMTP transaction) took.
 *
 * <p>Updated on the worker threads as outcomes are recorded. Meters are found in a concurrent map
 * keyed by outcome and label, both bounded, so that no update takes a lock once a meter exists.
 */
public final class DeliveryMetrics {
  /** Metrics that go nowhere, for workers built without a registry. */
  public static final DeliveryMetrics NONE = new DeliveryMetrics(new CompositeMeterRegistry(), DestinationLabels::none);

  // Mail is delivered in milliseconds when the next hop answers, and in hours or days when it was
  // deferred: buckets over that whole range, up to the default queue lifetime of 5 days.
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
    Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4),
    Duration.ofDays(1), Duration.ofDays(5)
  };
  private static final Duration[] ATTEMPT_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5)
  };

  private final MeterRegistry registry;
  private final Supplier<DestinationLabels> labels;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<String, Timer> attempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> uncommitted = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
  private final Timer commits;
  private final Counter finishedBefore;

  /** @param labels the labels of the configuration version running (it changes with reloads) */
  public DeliveryMetrics(MeterRegistry registry, Supplier<DestinationLabels> labels) {
    this.registry = registry;
    this.labels = labels;
    this.commits = Timer.builder("mailstream.delivery.commit")
        .description("from a delivery worker's offset commit to Kafka's answer")
        .serviceLevelObjectives(ATTEMPT_BUCKETS)
        .register(registry);
    this.finishedBefore = Counter.builder("mailstream.delivery.finished.before")
        .description("routed messages a delivery worker did not attempt because the partition's previous owner had "
            + "finished them: listed in its last commit, or delivered with the outcome stored after it")
        .register(registry);
  }

  /** The registry these meters are in (dead letters are counted there too). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts one recipient's outcome: {@link Delivered}, {@link Deferred} or {@link Bounced}. */
  void outcome(Destination destination, MailEvent outcome) {
    String label = labels.get().label(destination);
    String name;
    if (outcome instanceof Delivered) {
      name = "delivered";
    } else if (outcome instanceof Deferred) {
      name = "deferred";
    } else if (outcome instanceof Bounced) {
      name = "bounced";
    } else {
      return;
    }
    outcomes.computeIfAbsent(name + " " + label, k -> Counter.builder("mailstream.recipients." + name)
        .description("recipients " + name + ", by destination label (configured next hops; local; other)")
        .tag("destination", label)
        .register(registry)).increment();
    if (outcome instanceof Delivered d) {
      latency.computeIfAbsent(label, l -> Timer.builder("mailstream.delivery.latency")
          .description("from acceptance (250 to the client) to delivery, by destination label")
          .tag("destination", l)
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry))
          .record(Math.max(0, d.deliveredAtMillis() - d.acceptedAtMillis()), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Where worker {@code worker} (its member name, which a restarted worker keeps) tells how many
   * records it finished that no commit covers yet: after a crash, the next owner of its partitions
   * looks up the deliveries among them on the outcomes topic and attempts the rest again.
   */
  AtomicInteger uncommitted(String worker) {
    return workerGauge(uncommitted, worker, "mailstream.delivery.uncommitted",
        "records a delivery worker finished that no commit covers yet (after a crash, the next owner looks up "
            + "the deliveries among them; the rest are attempted again)");
  }

  /** The gauge of the fresh messages {@code worker} holds back for their destination's share. */
  AtomicInteger waiting(String worker) {
    return workerGauge(waiting, worker, "mailstream.delivery.waiting", "messages a delivery worker holds back "
        + "because their destination has half its in-flight budget already (a next hop that is slow or does not answer)");
  }

  // One gauge per worker, registered the first time the worker asks for it.
  private AtomicInteger workerGauge(Map<String, AtomicInteger> gauges, String worker, String name, String description) {
    return gauges.computeIfAbsent(worker, w -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder(name, n, AtomicInteger::get).description(description).tag("worker", w).register(registry);
      return n;
    });
  }

  /**
   * A routed record finished by its partition's previous owner (listed in its last commit, or
   * delivered with the outcome stored after it) was read, and not attempted again.
   */
  void finishedBefore() {
    finishedBefore.increment();
  }

  /** An offset commit took {@code nanos}. */
  void committed(long nanos) {
    commits.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One attempt at {@code destination} took {@code millis}, whatever its outcome. */
  void attempt(Destination destination, long millis) {
    attempts.computeIfAbsent(labels.get().label(destination), l -> Timer.builder("mailstream.delivery.attempt")
        .description("one delivery attempt (an SMTP transaction, or a local delivery), by destination label")
        .tag("destination", l)
        .serviceLevelObjectives(ATTEMPT_BUCKETS)
        .register(registry))
        .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }
}
