package io.mailstream.queue.topic;

import io.mailstream.core.config.KafkaSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Compares topics that already exist (created by an earlier node, perhaps with other settings)
 * with what this node's configuration asks for. Only a weaker topic is a problem: more partitions,
 * replicas or a higher min.insync.replicas than asked serve this node as well.
 */
final class TopicCheck {
  private TopicCheck() {}

  /**
   * One line per setting that some of {@code topics} fall short of, e.g. {@code
   * kafka.replication-factor: expected 3, found 1 on mailstream.accepted, mailstream.routed (...)};
   * empty when every topic is at least as strong as planned.
   *
   * @param settings the configuration with the replication chosen for the cluster
   * @param plan the topics as {@link TopicAdmin#plan} would create them
   * @param topics the names in {@code plan} that existed before this node started
   * @param checkFsync whether flush.messages is checked (a cluster; the embedded node sets it itself)
   */
  static List<String> weaker(
      Admin admin, KafkaSettings settings, List<NewTopic> plan, Collection<String> topics, boolean checkFsync)
      throws InterruptedException, ExecutionException {
    if (topics.isEmpty()) {
      return List.of();
    }
    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
    Shortfalls partitions = new Shortfalls("kafka.partitions", "kafka-topics.sh --alter --partitions");
    Shortfalls replicas = new Shortfalls("kafka.replication-factor", "kafka-reassign-partitions.sh");
    Shortfalls minIsr = new Shortfalls("kafka.min-insync-replicas",
        "kafka-configs.sh --alter --add-config min.insync.replicas=" + settings.minInsyncReplicas());
    Shortfalls fsync = new Shortfalls("kafka.fsync", "kafka-configs.sh --alter --add-config flush.messages=1");
    Topics names = new Topics(settings);
    for (NewTopic planned : plan) {
      String name = planned.name();
      TopicDescription d = described.get(name);
      if (d == null) {
        continue;
      }
      partitions.check(name, planned.numPartitions(), d.partitions().size());
      int fewestReplicas = d.partitions().stream().map(TopicPartitionInfo::replicas).mapToInt(List::size).min().orElse(0);
      replicas.check(name, settings.replicationFactor(), fewestReplicas);
      Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
      minIsr.check(name, settings.minInsyncReplicas(), intValue(c, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, 1));
      if (checkFsync && settings.fsync() && TopicAdmin.holdsMail(names, name)) {
        long flush = longValue(c, TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG);
        if (flush != 1) {
          fsync.add(name, "flush.messages=1", "flush.messages=" + (flush == Long.MAX_VALUE ? "unset" : flush));
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (Shortfalls s : List.of(partitions, replicas, minIsr, fsync)) {
      s.line().ifPresent(out::add);
    }
    return out;
  }

  private static int intValue(Config c, String key, int otherwise) {
    long v = longValue(c, key);
    return v == Long.MAX_VALUE ? otherwise : (int) v;
  }

  private static long longValue(Config c, String key) {
    ConfigEntry e = c == null ? null : c.get(key);
    if (e == null || e.value() == null) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(e.value().strip());
    } catch (NumberFormatException x) {
      return Long.MAX_VALUE;
    }
  }

  /** The topics below what one setting asks, grouped by what they have. */
  private static final class Shortfalls {
    private final String key;
    private final String remedy;
    private String expected;
    private final Map<String, List<String>> byFound = new TreeMap<>();

    Shortfalls(String key, String remedy) {
      this.key = key;
      this.remedy = remedy;
    }

    void check(String topic, int wanted, int found) {
      if (found < wanted) {
        add(topic, Integer.toString(wanted), Integer.toString(found));
      }
    }

    void add(String topic, String wanted, String found) {
      expected = wanted;
      byFound.computeIfAbsent(found, f -> new ArrayList<>()).add(topic);
    }

    java.util.Optional<String> line() {
      if (byFound.isEmpty()) {
        return java.util.Optional.empty();
      }
      Map<String, String> parts = new LinkedHashMap<>();
      byFound.forEach((found, topics) -> parts.put(found, String.join(", ", topics)));
      StringBuilder b = new StringBuilder(key).append(": this node's configuration expects ").append(expected)
          .append(" but found ");
      String sep = "";
      for (Map.Entry<String, String> e : parts.entrySet()) {
        b.append(sep).append(e.getKey()).append(" on ").append(e.getValue());
        sep = "; ";
      }
      return java.util.Optional.of(b.append(" (topics keep the settings of the node that created them;"
          + " strengthen them with ").append(remedy).append(", or configure this node like them)").toString());
    }
  }
}
