package io.mailstream.ops.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.util.concurrent.TimeUnit;

/**
 * The node's mail flow as running totals, read from the same meters {@code GET /metrics} exports
 * and summed over their labels: what the dashboard polls. Totals rather than rates, so that the
 * page computes each interval's throughput and mean latency from two readings, as Prometheus's
 * {@code rate()} does, and a missed poll loses no mail from the figures.
 *
 * @param atMillis when the figures were read
 * @param accepted messages answered 250 ({@code mailstream_messages_accepted_total})
 * @param acceptedBytes their body octets
 * @param routed recipients routed
 * @param delivered recipients delivered
 * @param deferred recipients deferred (one per failed attempt)
 * @param bounced recipients bounced, by delivery or refused by the routing rules
 * @param acceptLatency end of DATA until Kafka acknowledged the message
 * @param deliveryLatency acceptance until delivery
 * @param connectionsOpen SMTP connections open now
 * @param stagesDown stages that cannot run
 * @param deadLetters records moved to the dead-letter topic since the node started
 */
public record MailFlowFigures(
    long atMillis,
    double accepted,
    double acceptedBytes,
    double routed,
    double delivered,
    double deferred,
    double bounced,
    Latency acceptLatency,
    Latency deliveryLatency,
    double connectionsOpen,
    double stagesDown,
    double deadLetters) {

  /**
   * One timer's totals over all its labels.
   *
   * @param count events timed
   * @param totalSeconds their summed duration
   * @param maxSeconds the longest in Micrometer's recent window (about two minutes), 0 when none
   */
  public record Latency(long count, double totalSeconds, double maxSeconds) {}

  /** Reads the figures now; meters a stage has not registered (it does not run here) count 0. */
  public static MailFlowFigures read(MeterRegistry registry) {
    return new MailFlowFigures(
        System.currentTimeMillis(),
        total(registry, "mailstream.messages.accepted"),
        total(registry, "mailstream.accepted"),
        total(registry, "mailstream.recipients.routed"),
        total(registry, "mailstream.recipients.delivered"),
        total(registry, "mailstream.recipients.deferred"),
        total(registry, "mailstream.recipients.bounced"),
        latency(registry, "mailstream.accept.latency"),
        latency(registry, "mailstream.delivery.latency"),
        gauge(registry, "mailstream.smtp.connections.open"),
        gauge(registry, "mailstream.stages.down"),
        total(registry, "mailstream.dead.letters"));
  }

  private static double total(MeterRegistry registry, String name) {
    Search found = registry.find(name);
    return found.counters().stream().mapToDouble(Counter::count).sum()
        + found.functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
  }

  private static double gauge(MeterRegistry registry, String name) {
    // A gauge reads NaN when what it watches is gone; JSON has no NaN, and none means 0 here.
    return registry.find(name).gauges().stream().mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).sum();
  }

  private static Latency latency(MeterRegistry registry, String name) {
    long count = 0;
    double total = 0;
    double max = 0;
    for (Timer t : registry.find(name).timers()) {
      count += t.count();
      total += t.totalTime(TimeUnit.SECONDS);
      max = Math.max(max, t.max(TimeUnit.SECONDS));
    }
    return new Latency(count, total, max);
  }
}
