package io.mailstream.ingress.server;

import io.mailstream.core.config.Listener;
import io.mailstream.core.event.MessageAccepted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the ingress counts for {@code /metrics}: connections per listener role and open now,
 * connections refused by reason, replies refusing something by code, messages and octets
 * accepted, and how long the commit to Kafka took (end of data to {@code 250}).
 *
 * <p>Called on the event loops: every update is a lock-free counter. The few meters with a label
 * are looked up in a concurrent map whose keys are bounded (three listener roles, a handful of
 * refusal reasons, the reply codes of RFC 5321).
 */
public final class IngressMetrics {
  /** Metrics that go nowhere: for servers built without a registry (tests, tools). */
  public static final IngressMetrics NONE = new IngressMetrics(new CompositeMeterRegistry());

  // Commits are fast with a healthy broker (ms) and slow only when it struggles, up to the 30 s
  // accept deadline: buckets across that whole range.
  private static final Duration[] ACCEPT_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Counter> byKey = new ConcurrentHashMap<>();
  private final Counter accepted;
  private final Counter acceptedBytes;
  private final Timer acceptLatency;

  private IngressMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("mailstream.smtp.connections.open", open, AtomicInteger::get)
        .description("SMTP connections open now").register(registry);
    accepted = Counter.builder("mailstream.messages.accepted")
        .description("messages acknowledged with 250 (in Kafka)").register(registry);
    acceptedBytes = Counter.builder("mailstream.accepted").baseUnit("bytes")
        .description("octets of the bodies acknowledged with 250").register(registry);
    acceptLatency = Timer.builder("mailstream.accept.latency")
        .description("end of DATA (or BDAT LAST) until Kafka acknowledged the message")
        .serviceLevelObjectives(ACCEPT_BUCKETS).register(registry);
  }

  /** The ingress's meters in {@code registry}. */
  public static IngressMetrics of(MeterRegistry registry) {
    return new IngressMetrics(registry);
  }

  /** A client connected to {@code listener}; its close is counted off when the channel closes. */
  void connected(Listener listener, io.netty.channel.Channel ch) {
    String role = listener.role().name().toLowerCase(Locale.ROOT);
    counter("c" + role, () -> Counter.builder("mailstream.smtp.connections")
        .description("SMTP connections accepted by the listeners, by listener role").tag("role", role)).increment();
    open.incrementAndGet();
    ch.closeFuture().addListener(f -> open.decrementAndGet());
  }

  /**
   * A connection turned away before its session: {@code reason} is the setting that refused it
   * ({@code max-connections}, {@code connection-rate-throttle}, {@code max-connections-per-ip}),
   * {@code proxy} (no valid PROXY header, or not from a trusted proxy) or {@code queue-unreachable}.
   */
  void refused(String reason) {
    counter("r" + reason, () -> Counter.builder("mailstream.smtp.connections.refused")
        .description("connections refused before a session, by reason").tag("reason", reason)).increment();
  }

  /** A 4xx or 5xx reply went to a client; {@code code} is its three digits. */
  void rejected(int code) {
    String c = Integer.toString(code);
    counter("x" + c, () -> Counter.builder("mailstream.smtp.rejections")
        .description("4xx and 5xx replies to SMTP clients, by reply code").tag("code", c)).increment();
  }

  /** Kafka acknowledged {@code event}, {@code nanos} after the end of its data. */
  void accepted(MessageAccepted event, long nanos) {
    accepted.increment();
    acceptedBytes.increment(event.body().size());
    acceptLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter counter(String key, java.util.function.Supplier<Counter.Builder> builder) {
    Counter c = byKey.get(key);
    return c != null ? c : byKey.computeIfAbsent(key, k -> builder.get().register(registry));
  }
}
