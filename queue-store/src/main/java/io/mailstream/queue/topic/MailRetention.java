package io.mailstream.queue.topic;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the topics that hold queued mail (bodies, accepted and routed events) keep it: derived
 * from {@code delivery.queue-lifetime}, so that a deferred message can never outlive its body, as
 * a sendmail queue file stays until the message is delivered or returned. An administrator sets
 * the lifetime; the retention follows: the lifetime plus two days (the last retry, the bounce
 * that quotes the body, a consumer catching up), and never under seven days.
 *
 * <p>Topics created earlier are raised to it at start (never lowered: a longer retention set by
 * hand stays). When Kafka refuses to raise one (an administered cluster may not let Mailstream
 * change its topics), the start stops with one line saying what is needed.
 */
public final class MailRetention {
  private static final Logger log = LoggerFactory.getLogger(MailRetention.class);

  /** The least retention, whatever the lifetime: what Mailstream always had. */
  static final Duration MINIMUM = Duration.ofDays(7);

  /** Time past the lifetime that a queued message may still need its body. */
  static final Duration MARGIN = Duration.ofDays(2);

  private MailRetention() {}

  /** The retention that keeps mail queued for {@code queueLifetime}. */
  public static Duration forLifetime(Duration queueLifetime) {
    Duration needed = queueLifetime.plus(MARGIN);
    return needed.compareTo(MINIMUM) > 0 ? needed : MINIMUM;
  }

  /**
   * The topics whose records a queued message needs until it leaves the queue (its orders on the
   * control topic, a hold, included).
   */
  static List<String> topics(Topics t) {
    return List.of(t.bodies(), t.accepted(), t.routed(), t.control());
  }

  /**
   * Raises {@code retention.ms} of those of {@code existing} that keep mail for less than {@code
   * queueLifetime} needs.
   *
   * @throws IllegalStateException when Kafka refuses, in one line naming the topic and the need
   */
  static void reconcile(Admin admin, Topics t, Duration queueLifetime, Collection<String> existing)
      throws InterruptedException, ExecutionException {
    Duration needed = forLifetime(queueLifetime);
    Map<ConfigResource, Collection<AlterConfigOp>> raise = new HashMap<>();
    Map<ConfigResource, Long> had = new HashMap<>();
    List<ConfigResource> resources = topics(t).stream().filter(existing::contains)
        .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    if (resources.isEmpty()) {
      return;
    }
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
    for (ConfigResource r : resources) {
      ConfigEntry e = configs.get(r).get(TopicConfig.RETENTION_MS_CONFIG);
      long ms = e == null || e.value() == null ? Long.MAX_VALUE : Long.parseLong(e.value());
      if (ms >= 0 && ms < needed.toMillis()) { // -1 keeps records for ever
        had.put(r, ms);
        raise.put(r, List.of(new AlterConfigOp(
            new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(needed.toMillis())), AlterConfigOp.OpType.SET)));
      }
    }
    if (raise.isEmpty()) {
      return;
    }
    try {
      admin.incrementalAlterConfigs(raise).all().get();
    } catch (ExecutionException e) {
      ConfigResource first = raise.keySet().iterator().next();
      throw new IllegalStateException("delivery.queue-lifetime " + text(queueLifetime) + " needs retention.ms of at least "
          + needed.toMillis() + " (" + text(needed) + ") on " + first.name() + ", which has " + text(Duration.ofMillis(had.get(first)))
          + ", and Kafka refused to raise it (" + e.getCause() + "); raise it or shorten delivery.queue-lifetime", e);
    }
    had.forEach((r, ms) -> log.info("retention of {} raised from {} to {} to keep mail for delivery.queue-lifetime {}",
        r.name(), text(Duration.ofMillis(ms)), text(needed), text(queueLifetime)));
  }

  private static String text(Duration d) {
    return d.toMillis() % Duration.ofDays(1).toMillis() == 0 ? d.toDays() + "d"
        : d.toMillis() % Duration.ofHours(1).toMillis() == 0 ? d.toHours() + "h" : d.toMillis() + "ms";
  }
}
