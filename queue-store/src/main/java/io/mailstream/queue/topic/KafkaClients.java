package io.mailstream.queue.topic;

import io.mailstream.core.config.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Sanitizer;

/** Client settings shared by the stages; each method says why it departs from Kafka's defaults. */
public final class KafkaClients {
  /**
   * What every client of one cluster gets besides Mailstream's own settings, by bootstrap address:
   * the operator's {@code kafka.client-properties} (SASL, TLS) and the node's meter registry. Keyed
   * by the address every stage already passes around, so that no constructor of a stage changes;
   * two nodes in one JVM (tests) on one cluster share them.
   */
  private static final Map<String, Profile> PROFILES = new ConcurrentHashMap<>();

  // The JMX domain of each kind of client: Kafka registers an app-info bean per client id there
  // from a client's creation to its close, and warns with a stack trace when a second client of
  // the kind takes an id in use.
  private static final Map<String, String> JMX_DOMAINS =
      Map.of("producer", "kafka.producer", "consumer", "kafka.consumer", "admin", "kafka.admin.client");

  private KafkaClients() {}

  private record Profile(String host, String nodeId, Map<String, String> properties, Duration sessionTimeout,
      MeterRegistry metrics) {}

  /**
   * From now on every client for {@code bootstrap} is named after {@code host} and {@code nodeId}
   * ({@link #clientId}), gets {@code properties} (never overriding what Mailstream sets itself:
   * the configuration refuses those keys) and reports its figures to {@code metrics} ({@link
   * KafkaMeterBridge}); the stages' consumers use {@code sessionTimeout}. Closing the result
   * forgets it all.
   */
  public static AutoCloseable use(String bootstrap, String host, String nodeId, Map<String, String> properties,
      Duration sessionTimeout, MeterRegistry metrics) {
    Profile profile = new Profile(host, nodeId, Map.copyOf(properties), sessionTimeout, metrics);
    PROFILES.put(bootstrap, profile);
    return () -> PROFILES.remove(bootstrap, profile);
  }

  /** An admin client's settings: the cluster's profile and bounded waits. */
  public static Properties admin(String bootstrap, ClientName name, Duration timeout) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return withProfile(bootstrap, "admin", name, p);
  }

  /**
   * The client id of a client called {@code name}: {@code host/role-worker}, the worker being the
   * worker id or else the node id ({@code relay1.example.com/router-58a9f8f2-0}, {@code
   * relay1.example.com/ingress-58a9f8f2}), so that the brokers' logs and quotas and the metrics
   * tell apart every process and every worker of a cluster. While a client of the same name and
   * {@code kind} (producer, consumer, admin) runs in this JVM (the worker it replaces is still
   * closing), the new one is {@code #1}, and so on: the lowest suffix free, so a worker started
   * again goes back to its plain name once its predecessor is gone. Without the node's profile
   * (the command-line tools): {@code mailstream/role}.
   */
  static String clientId(String bootstrap, String kind, ClientName name) {
    Profile profile = PROFILES.get(bootstrap);
    String host = profile == null ? "mailstream" : profile.host();
    String worker = name.worker() != null ? name.worker() : profile == null ? null : profile.nodeId();
    String base = host + "/" + name.role() + (worker == null ? "" : "-" + worker);
    String id = base;
    for (int n = 1; inUse(kind, id); n++) {
      id = base + "#" + n;
    }
    return id;
  }

  private static boolean inUse(String kind, String clientId) {
    try {
      return ManagementFactory.getPlatformMBeanServer().isRegistered(
          new ObjectName(JMX_DOMAINS.get(kind) + ":type=app-info,id=" + Sanitizer.jmxSanitize(clientId)));
    } catch (MalformedObjectNameException e) {
      return false; // Kafka could not register it either, so no client holds it
    }
  }

  private static Properties withProfile(String bootstrap, String kind, ClientName name, Properties p) {
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(bootstrap, kind, name));
    Profile profile = PROFILES.get(bootstrap);
    if (profile != null) {
      profile.properties().forEach(p::putIfAbsent);
      if (profile.metrics() != null) {
        p.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, KafkaMeterBridge.class.getName());
        p.put(KafkaMeterBridge.REGISTRY_CONFIG, profile.metrics());
      }
    }
    return p;
  }

  /**
   * A producer for mail that must not be lost: acks=all with idempotence, so an acknowledged record
   * is on every in-sync replica exactly once. Blocking and delivery are bounded by the accept
   * deadline, after which the client is told 451 instead of waiting.
   *
   * <p>Group commit: one produce request in flight at a time, sent at once (no linger). Whatever
   * the sessions hand over while a request is being appended and fsynced goes out together in the
   * next one, so the batch grows with the load and each message waits for at most one fsync besides
   * its own. With five in flight (Kafka's default) the broker still handles a connection's requests
   * one after the other, each with its own fsync of a few records, and under load a message waited
   * behind four of them: twice the accept latency and twice the fsyncs, measured with the
   * three-relay benchmark (BENCHMARKS.md).
   */
  public static Properties producer(String bootstrap, ClientName name, Duration deadline) {
    Properties p = new Properties();
    p.put(ProducerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    // A body chunk (512 KiB) plus record overhead must fit one request.
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    long ms = Math.max(deadline.toMillis(), 1000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(ms, Integer.MAX_VALUE));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(ms + 1, Integer.MAX_VALUE));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return withProfile(bootstrap, "producer", name, p);
  }

  /**
   * A transactional producer for a consume-transform-produce stage (the router): its output and its
   * consumer offsets commit together, so a crash neither loses nor duplicates routed mail. The id
   * must be stable per worker so that a restarted worker fences its predecessor at once.
   */
  public static Properties transactionalProducer(String bootstrap, ClientName name, String transactionalId) {
    return transactionalProducer(bootstrap, name, transactionalId, Duration.ofMillis(1));
  }

  /**
   * As {@link #transactionalProducer(String, ClientName, String)}, for a transaction that stays open for a
   * while: its records wait up to {@code linger} to be sent, so that the whole transaction goes out
   * in few produce requests (each of which the broker fsyncs on every partition it touches) rather
   * than one per poll. The commit sends whatever still lingers; a caller that needs an
   * acknowledgement before that flushes.
   */
  public static Properties transactionalProducer(String bootstrap, ClientName name, String transactionalId,
      Duration linger) {
    Properties p = producer(bootstrap, name, Duration.ofSeconds(60));
    int lingerMs = (int) Math.max(1, linger.toMillis());
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    // Kafka wants room for the linger within the delivery time-out.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG) + lingerMs);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    // A crashed worker's open transaction blocks read_committed readers until it times out.
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
    return p;
  }

  /**
   * A consumer in a stage's group. Offsets are committed by the stage after its output is
   * acknowledged (at-least-once), never automatically; read_committed keeps aborted transactional
   * writes out.
   *
   * <p>Fail-over (docs/reliability.md): the member is static, named {@code memberId} (stable per
   * worker slot: node id and index), so a process restarted in place (systemd's Restart=) takes
   * its partitions back at once instead of waiting out the session of its dead self, and its
   * partitions do not move to the others and back. Rebalancing is cooperative: a member joining or
   * leaving moves only the partitions that change owner, and the others go on working meanwhile.
   * The session time-out is the node's {@code kafka.session-timeout}. A worker that stops cleanly
   * leaves the group ({@link #LEAVE}), which a static member does not do by itself.
   */
  public static Properties consumer(String bootstrap, String role, String groupId, String memberId) {
    Properties p = common(bootstrap, ClientName.worker(role, memberId));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, memberId);
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    Profile profile = PROFILES.get(bootstrap);
    Duration session = profile == null ? KafkaSettings.DEFAULT_SESSION_TIMEOUT : profile.sessionTimeout();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session.toMillis());
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, heartbeatInterval(session));
    return p;
  }

  /**
   * Kafka's default heartbeat (3 s), or a third of a shorter session so that two lost heartbeats
   * are survived. Not a third of any session: a member learns that its group rebalances only from
   * its next heartbeat, so the interval bounds how long partitions wait for a new owner when a
   * process joins or leaves cleanly; with a two-minute session that was 40 s.
   */
  static int heartbeatInterval(Duration session) {
    return (int) Math.min(DEFAULT_HEARTBEAT.toMillis(), session.toMillis() / 3);
  }

  private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

  /**
   * How a stage's consumer closes on a stop: it leaves its group, so its partitions move at once.
   * The leave is sent and its answer waited for briefly: the close otherwise waits for every
   * request still pending with the group coordinator, which held a node's stop for a whole
   * session time-out (15 s) in the tests' shared broker.
   */
  public static final CloseOptions LEAVE =
      CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(Duration.ofMillis(500));

  private static Properties common(String bootstrap, ClientName name) {
    Properties p = new Properties();
    // KIP-714 telemetry: no broker of ours collects it, and preparing it renames every metric with
    // regular expressions, on the hot path when a reader's partitions change.
    p.put(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return withProfile(bootstrap, "consumer", name, p);
  }

  /** A consumer outside any group, for reading given offsets (message bodies). */
  public static Properties reader(String bootstrap, ClientName name) {
    Properties p = common(bootstrap, name);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
    return p;
  }
}
