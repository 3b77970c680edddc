package io.mailstream.core.config;

import java.time.Duration;
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
 * @param sessionTimeout how long a router or delivery process may go unheard before Kafka gives
 *     its partitions to the others ({@code kafka.session-timeout}): the fail-over time of a
 *     process that dies without a clean stop
 */
public record KafkaSettings(
    String bootstrap,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    int minInsyncReplicas,
    boolean fsync,
    Map<String, String> clientProperties,
    Duration sessionTimeout) {

  /**
   * Kafka's own default is 45 s. A relay's mail waits that long on the partitions of a process that
   * died; a live process is evicted only when it sends no heartbeat for this long (heartbeats have
   * a thread of their own, so only a stall of the whole JVM or host does that).
   */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(15);

  /** The brokers' defaults for group.min.session.timeout.ms and group.max.session.timeout.ms. */
  public static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(6);
  public static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Settings without client properties. */
  public KafkaSettings(
      String bootstrap, String topicPrefix, int partitions, short replicationFactor, int minInsyncReplicas, boolean fsync) {
    this(bootstrap, topicPrefix, partitions, replicationFactor, minInsyncReplicas, fsync, Map.of(), DEFAULT_SESSION_TIMEOUT);
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
        + ", clientProperties=" + masked + ", sessionTimeout=" + sessionTimeout + "]";
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
    return new KafkaSettings(bootstrap, topicPrefix, partitions, rf, isr, fsync, clientProperties, sessionTimeout);
  }

  public String topic(String suffix) {
    return topicPrefix + "." + suffix;
  }
}
