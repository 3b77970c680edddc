package io.mailstream.ops.metrics;

import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each stage's consumer group is behind its input topic: the records of {@code accepted}
 * the routers have not committed, and of {@code routed} delivery has not. Read every 10 s on a
 * thread of its own with an admin client (end offsets minus the group's committed offsets), never
 * on a scrape and never by the workers: {@code mailstream_consumer_lag_records{stage}}.
 *
 * <p>The figure is the group's, the same on every node that runs the stage. Transaction markers
 * take offsets too, so an idle router group may show a lag of a few records per partition.
 */
public final class ConsumerLag implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);
  static final Duration EVERY = Duration.ofSeconds(10);

  private final Admin admin;
  private final Map<String, Group> groups = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private volatile boolean warned;

  private record Group(String name, String topic, AtomicLong lag) {}

  private ConsumerLag(Admin admin) {
    this.admin = admin;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mailstream-consumer-lag");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts reading the lag of {@code groups} (stage name to consumer group and topic) every 10 s.
   */
  public static ConsumerLag start(String bootstrap, Map<String, Map.Entry<String, String>> groups, MeterRegistry registry) {
    ConsumerLag lag = new ConsumerLag(Admin.create(KafkaClients.admin(bootstrap, ClientName.of("consumer-lag"), EVERY)));
    groups.forEach((stage, g) -> {
      Group group = new Group(g.getKey(), g.getValue(), new AtomicLong(-1));
      lag.groups.put(stage, group);
      Gauge.builder("mailstream.consumer.lag", group.lag(), l -> l.get() < 0 ? Double.NaN : l.get())
          .description("records of the stage's input topic its consumer group has not committed yet")
          .baseUnit("records")
          .tag("stage", stage)
          .register(registry);
    });
    lag.timer.scheduleWithFixedDelay(lag::read, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return lag;
  }

  private void read() {
    for (Group g : groups.values()) {
      try {
        g.lag().set(lagOf(g));
        warned = false;
      } catch (Exception e) {
        if (!warned) {
          warned = true; // once per outage, not every 10 s
          log.warn("consumer lag of {} not known: {}", g.name(), e.toString());
        }
        g.lag().set(-1);
      }
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private long lagOf(Group g) throws Exception {
    long ms = EVERY.toMillis();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(g.name()).partitionsToOffsetAndMetadata().get(ms, TimeUnit.MILLISECONDS);
    var partitions = admin.describeTopics(java.util.List.of(g.topic())).allTopicNames().get(ms, TimeUnit.MILLISECONDS)
        .get(g.topic()).partitions();
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    partitions.forEach(p -> ask.put(new TopicPartition(g.topic(), p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(ask).all().get(ms, TimeUnit.MILLISECONDS);
    long total = 0;
    for (var e : ends.entrySet()) {
      OffsetAndMetadata at = committed.get(e.getKey());
      // A partition the group never committed on is read from its start (auto.offset.reset
      // earliest); counting it whole overstates only until the first commit.
      total += Math.max(0, e.getValue().offset() - (at == null ? 0 : at.offset()));
    }
    return total;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(2));
  }
}
