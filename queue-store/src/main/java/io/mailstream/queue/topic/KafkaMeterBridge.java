package io.mailstream.queue.topic;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Puts a few of each Kafka client's own figures into the node's meter registry (Kafka calls it as
 * a {@code metric.reporters} class; {@link KafkaClients} sets it up): records sent and consumed,
 * errors, the consumer's lag, request, fetch and commit latency, free producer buffer. Only these,
 * and only the client-wide ones (no per-topic or per-partition series), so that a node exports
 * tens of Kafka series rather than thousands. Latencies are turned from milliseconds into
 * seconds, Prometheus's base unit.
 */
public final class KafkaMeterBridge implements MetricsReporter {
  /** The config key under which {@link KafkaClients} hands the registry to the reporter. */
  static final String REGISTRY_CONFIG = "mailstream.meter-registry";

  private enum Kind { COUNTER, GAUGE, MILLIS }

  private record Figure(String name, Kind kind, String description) {}

  private static final Map<String, Figure> FIGURES = Map.of(
      "producer-metrics/record-send-total",
      new Figure("kafka.producer.records.sent", Kind.COUNTER, "records this client sent"),
      "producer-metrics/record-error-total",
      new Figure("kafka.producer.record.errors", Kind.COUNTER, "records this client failed to send"),
      "producer-metrics/request-latency-avg",
      new Figure("kafka.producer.request.latency.seconds", Kind.MILLIS, "average produce request latency"),
      "producer-metrics/buffer-available-bytes",
      new Figure("kafka.producer.buffer.available.bytes", Kind.GAUGE, "unused producer buffer memory"),
      "consumer-fetch-manager-metrics/records-lag-max",
      new Figure("kafka.consumer.records.lag.max", Kind.GAUGE, "largest lag in records of this consumer's partitions"),
      "consumer-fetch-manager-metrics/records-consumed-total",
      new Figure("kafka.consumer.records.consumed", Kind.COUNTER, "records this client consumed"),
      "consumer-fetch-manager-metrics/fetch-latency-avg",
      new Figure("kafka.consumer.fetch.latency.seconds", Kind.MILLIS, "average fetch request latency"),
      "consumer-coordinator-metrics/commit-latency-avg",
      new Figure("kafka.consumer.commit.latency.seconds", Kind.MILLIS, "average offset commit latency"),
      "consumer-coordinator-metrics/rebalance-total",
      new Figure("kafka.consumer.rebalances", Kind.COUNTER, "group rebalances this consumer took part in"));

  private final Map<MetricName, Meter> meters = new ConcurrentHashMap<>();
  private MeterRegistry registry;

  @Override
  public void configure(Map<String, ?> configs) {
    if (configs.get(REGISTRY_CONFIG) instanceof MeterRegistry r) {
      registry = r;
    }
  }

  @Override
  public void init(List<KafkaMetric> metrics) {
    metrics.forEach(this::metricChange);
  }

  @Override
  public void metricChange(KafkaMetric metric) {
    MetricName n = metric.metricName();
    Figure figure = FIGURES.get(n.group() + "/" + n.name());
    String client = n.tags().get("client-id");
    if (registry == null || figure == null || client == null || n.tags().size() != 1) {
      return;
    }
    metricRemoval(metric); // a client re-registering a figure: the new object is the one to read
    Meter meter = switch (figure.kind()) {
      case COUNTER -> FunctionCounter.builder(figure.name(), metric, KafkaMeterBridge::value)
          .description(figure.description()).tag("client_id", client).register(registry);
      case GAUGE -> Gauge.builder(figure.name(), metric, KafkaMeterBridge::value)
          .description(figure.description()).tag("client_id", client).register(registry);
      case MILLIS -> Gauge.builder(figure.name(), metric, m -> value(m) / 1000.0)
          .description(figure.description()).tag("client_id", client).baseUnit("seconds").register(registry);
    };
    meters.put(n, meter);
  }

  private static double value(KafkaMetric m) {
    return m.metricValue() instanceof Number v ? v.doubleValue() : Double.NaN;
  }

  @Override
  public void metricRemoval(KafkaMetric metric) {
    Meter meter = meters.remove(metric.metricName());
    if (meter != null && registry != null) {
      registry.remove(meter);
    }
  }

  @Override
  public void close() {
    if (registry != null) {
      meters.values().forEach(registry::remove);
    }
    meters.clear();
  }
}
