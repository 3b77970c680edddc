package io.mailstream.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The dashboard's figures are the meters' totals over every label, and read as 0 where a stage does not run. */
class MailFlowFiguresTest {
  @Test
  void sumsEachMeterOverItsLabels() throws Exception {
    MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("mailstream.messages.accepted").register(registry).increment(3);
    Counter.builder("mailstream.accepted").baseUnit("bytes").register(registry).increment(1200);
    Counter.builder("mailstream.recipients.delivered").tag("destination", "smtp.isp.example").register(registry).increment(2);
    Counter.builder("mailstream.recipients.delivered").tag("destination", "other").register(registry).increment(5);
    Counter.builder("mailstream.recipients.bounced").tag("destination", "error").register(registry).increment();
    Counter.builder("mailstream.recipients.bounced").tag("destination", "other").register(registry).increment();
    AtomicInteger open = new AtomicInteger(4);
    Gauge.builder("mailstream.smtp.connections.open", open, AtomicInteger::get).register(registry);
    FunctionCounter.builder("mailstream.dead.letters", open, o -> 1).tag("topic", "routed").register(registry);
    Timer.builder("mailstream.delivery.latency").tag("destination", "other").register(registry).record(Duration.ofSeconds(3));
    Timer.builder("mailstream.delivery.latency").tag("destination", "local").register(registry).record(Duration.ofSeconds(1));

    MailFlowFigures f = MailFlowFigures.read(registry);

    assertEquals(3, f.accepted());
    assertEquals(1200, f.acceptedBytes());
    assertEquals(7, f.delivered());
    assertEquals(2, f.bounced());
    assertEquals(0, f.deferred(), "no deferral yet");
    assertEquals(0, f.routed(), "no router here");
    assertEquals(4, f.connectionsOpen());
    assertEquals(1, f.deadLetters());
    assertEquals(new MailFlowFigures.Latency(2, 4.0, 3.0), f.deliveryLatency());
    assertEquals(new MailFlowFigures.Latency(0, 0, 0), f.acceptLatency());
    // What GET /dashboard/figures sends the page.
    JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(f));
    assertEquals(2, json.get("deliveryLatency").get("count").asInt());
    assertEquals(4.0, json.get("deliveryLatency").get("totalSeconds").asDouble());
    assertEquals(7.0, json.get("delivered").asDouble());
  }
}
