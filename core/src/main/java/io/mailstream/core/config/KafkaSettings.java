package io.mailstream.core.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * How Mailstream reaches its queue.
 *
 * @param bootstrap the bootstrap servers of an existing cluster; null starts the embedded broker
 * @param topicPrefix prefix of every topic name ({@code mailstream} gives {@code mailstream.accepted})
 * @param partitions partitions per topic; the ceiling on how many workers of a stage share work
 * @param replicationFactor replicas per partition (1 embedded); 0 on a cluster when not configured:
 *     then {@link #forCluster} chooses min(3, brokers)
 * @param minInsyncReplicas replicas that must have a record before it is acknowledged; 0 when it
 *     follows the replication factor chosen from the cluster
 * @param fsync whether accepted mail is fsynced before it is acknowledged (flush.messages=1); on
 *     by default for the single embedded broker, which has no replica to fall back on
 * @param clientProperties what every Kafka client of the node gets besides Mailstream's own
 *     settings: {@code security.protocol}, {@code sasl.*}, {@code ssl.*} and {@code
 *     config.providers*} only ({@link #passedThrough}), for a cluster that wants SASL or TLS
 */
public record KafkaSettings(
    String bootstrap,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    int minInsyncReplicas,
    boolean fsync,
    Map<String, String> clientProperties) {

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Settings without client properties. */
  public KafkaSettings(
      String bootstrap, String topicPrefix, int partitions, short replicationFactor, int minInsyncReplicas, boolean fsync) {
    this(bootstrap, topicPrefix, partitions, replicationFactor, minInsyncReplicas, fsync, Map.of());
  }

  /**
   * Whether {@code key} may be passed to Kafka's clients from {@code kafka.client-properties}: how
   * to reach a secured cluster (security protocol, SASL, TLS, and config providers so that secrets
   * can stay in files). Everything else (acks, idempotence, transactions, serializers, time-outs)
   * is Mailstream's to set: its guarantees rest on those values.
   */
  public static boolean passedThrough(String key) {
    return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.")
        || key.startsWith("config.providers");
  }

  /** The client properties' values are left out: {@code sasl.jaas.config} holds a password. */
  @Override
  public String toString() {
    Map<String, String> masked = new TreeMap<>();
    clientProperties.keySet().forEach(k -> masked.put(k, "***"));
    return "KafkaSettings[bootstrap=" + bootstrap + ", topicPrefix=" + topicPrefix + ", partitions=" + partitions
        + ", replicationFactor=" + replicationFactor + ", minInsyncReplicas=" + minInsyncReplicas + ", fsync=" + fsync
        + ", clientProperties=" + masked + "]";
  }

  /** Replication factor and min.insync.replicas left to the cluster's size. */
  public static final short FROM_CLUSTER = 0;

  public boolean embedded() {
    return bootstrap == null;
  }

  /**
   * The min.insync.replicas that goes with a replication factor when none is configured: 2 from
   * three replicas on (acks=all then means two copies, and one broker may be down), else 1.
   */
  public static int defaultMinInsync(int replicationFactor) {
    return replicationFactor >= 3 ? 2 : 1;
  }

  /**
   * These settings with what was left to the cluster chosen for {@code brokers} brokers:
   * replication factor min(3, brokers), and {@link #defaultMinInsync} for it. Settings given in the
   * configuration stay as they are.
   */
  public KafkaSettings forCluster(int brokers) {
    if (replicationFactor > 0 && minInsyncReplicas > 0) {
      return this;
    }
    short rf = replicationFactor > 0 ? replicationFactor : (short) Math.max(1, Math.min(3, brokers));
    int isr = minInsyncReplicas > 0 ? minInsyncReplicas : defaultMinInsync(rf);
    return new KafkaSettings(bootstrap, topicPrefix, partitions, rf, isr, fsync, clientProperties);
  }

  public String topic(String suffix) {
    return topicPrefix + "." + suffix;
  }
}
