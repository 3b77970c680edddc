package io.mailstream.core.config;

/**
 * How Mailstream reaches its queue.
 *
 * @param bootstrap the bootstrap servers of an existing cluster; null starts the embedded broker
 * @param topicPrefix prefix of every topic name ({@code mailstream} gives {@code mailstream.accepted})
 * @param partitions partitions per topic; the ceiling on how many workers of a stage share work
 * @param replicationFactor replicas per partition (1 embedded, 3 in a cluster)
 * @param minInsyncReplicas replicas that must have a record before it is acknowledged
 * @param fsync whether accepted mail is fsynced before it is acknowledged (flush.messages=1); on
 *     by default for the single embedded broker, which has no replica to fall back on
 */
public record KafkaSettings(
    String bootstrap,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    int minInsyncReplicas,
    boolean fsync) {

  public boolean embedded() {
    return bootstrap == null;
  }

  public String topic(String suffix) {
    return topicPrefix + "." + suffix;
  }
}
