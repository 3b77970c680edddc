package io.mailstream.queue.topic;

import io.mailstream.core.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Mailstream's topics when they are missing and waits until every partition has a leader,
 * so that the ingress never accepts its first message into a topic that cannot take it yet.
 */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  /** The queue lifetime when none is given: sendmail's Timeout.queuereturn, 5 days. */
  static final Duration DEFAULT_LIFETIME = Duration.ofDays(5);

  private TopicAdmin() {}

  /** The topics with their configuration, as {@link #ensure} creates them for the default lifetime. */
  public static List<NewTopic> plan(KafkaSettings s) {
    return plan(s, DEFAULT_LIFETIME);
  }

  /**
   * The topics with their configuration, as {@link #ensure} creates them: those that hold queued
   * mail keep it for {@link MailRetention#forLifetime queueLifetime}.
   */
  public static List<NewTopic> plan(KafkaSettings s, Duration queueLifetime) {
    Topics t = new Topics(s);
    Duration keep = MailRetention.forLifetime(queueLifetime);
    Duration record = MailRetention.forLifetime(DEFAULT_LIFETIME);
    List<NewTopic> topics = new ArrayList<>();
    topics.add(topic(s, t.bodies(), mailConfig(s, true, keep)));
    topics.add(topic(s, t.accepted(), mailConfig(s, true, keep)));
    topics.add(topic(s, t.routed(), mailConfig(s, true, keep)));
    topics.add(topic(s, t.outcomes(), mailConfig(s, false, record)));
    topics.add(topic(s, t.deadLetter(), mailConfig(s, false, record)));
    Map<String, String> changelog = new HashMap<>(baseConfig(s, true));
    changelog.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    topics.add(topic(s, t.retryState(), changelog));
    topics.add(configTopic(s, t));
    topics.add(controlTopic(s, t, keep));
    return topics;
  }

  /**
   * Creates what is missing and waits for partition leaders, for the default queue lifetime.
   *
   * @throws IllegalStateException when the cluster cannot be reached within {@code timeout}
   */
  public static void ensure(String bootstrap, KafkaSettings settings, Duration timeout) {
    ensure(bootstrap, settings, DEFAULT_LIFETIME, timeout);
  }

  /**
   * Creates what is missing, raises the retention of existing mail topics that would not keep mail
   * for {@code queueLifetime} ({@link MailRetention}), and waits for partition leaders.
   *
   * <p>On a cluster it first waits for the brokers, however long, with a line every few seconds;
   * the replication left unset is chosen from their number ({@link KafkaSettings#forCluster}).
   *
   * @throws TopicSettingsException when existing topics are weaker than {@code configured}
   * @throws IllegalStateException when the cluster answers but the topics cannot be prepared within
   *     {@code timeout}, or it refuses a retention the lifetime needs
   */
  public static void ensure(String bootstrap, KafkaSettings configured, Duration queueLifetime, Duration timeout) {
    try {
      // A cluster may still be starting: wait for it, saying so. The embedded broker is up by now.
      int brokers = configured.embedded() ? 1 : ClusterWait.brokers(bootstrap);
      KafkaSettings settings = configured.forCluster(brokers);
      if (configured.replicationFactor() == KafkaSettings.FROM_CLUSTER) {
        log.info("kafka.replication-factor not set: {} brokers, so topics are created with replication factor {}"
            + " and min.insync.replicas {}", brokers, settings.replicationFactor(), settings.minInsyncReplicas());
      }
      if (settings.minInsyncReplicas() > settings.replicationFactor()) {
        throw new TopicSettingsException(List.of("kafka.min-insync-replicas: " + settings.minInsyncReplicas()
            + " exceeds the replication factor " + settings.replicationFactor() + " chosen for " + brokers
            + " brokers; set kafka.replication-factor"));
      }
      prepare(bootstrap, settings, queueLifetime, timeout);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot prepare Kafka topics at " + bootstrap + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing Kafka topics", e);
    }
  }

  private static void prepare(String bootstrap, KafkaSettings settings, Duration queueLifetime, Duration timeout)
      throws InterruptedException, ExecutionException {
    Properties p = KafkaClients.admin(bootstrap, ClientName.of("topic-admin"), timeout);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> plan = plan(settings, queueLifetime);
      Set<String> existing = admin.listTopics().names().get();
      List<String> before = new ArrayList<>(plan.stream().map(NewTopic::name).filter(existing::contains).toList());
      List<NewTopic> missing = plan.stream().filter(n -> !existing.contains(n.name())).toList();
      List<String> made = new ArrayList<>();
      for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
        try {
          created.getValue().get();
          made.add(created.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          before.add(created.getKey()); // another node created it a moment ago, perhaps otherwise
        }
      }
      if (!made.isEmpty()) {
        // One line, not one per topic: "created topics a, b (6 partitions), c (1 partition)".
        Map<Integer, List<String>> byPartitions = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        missing.stream().filter(n -> made.contains(n.name()))
            .forEach(n -> byPartitions.computeIfAbsent(n.numPartitions(), k -> new ArrayList<>()).add(n.name()));
        List<String> parts = new ArrayList<>();
        byPartitions.forEach((n, names) -> parts.add(String.join(", ", names) + " (" + n + (n == 1 ? " partition)" : " partitions)")));
        log.info("created topics {}", String.join(", ", parts));
      }
      if (settings.embedded()) {
        reconcileFsync(admin, settings, before);
      }
      // Topics keep the settings of whoever created them: never run on weaker ones than asked.
      List<String> weaker = TopicCheck.weaker(admin, settings, plan, before, !settings.embedded());
      if (!weaker.isEmpty()) {
        throw new TopicSettingsException(weaker);
      }
      MailRetention.reconcile(admin, new Topics(settings), queueLifetime, existing);
      awaitLeaders(admin, plan.stream().map(NewTopic::name).toList(), timeout);
    }
  }

  /**
   * Topics created earlier keep their configuration; the fsync choice is the one setting an
   * administrator flips on a running installation, so the embedded node, sole owner of its topics,
   * brings it in line on every start. On a cluster a node never weakens what others asked for; it
   * refuses to run without the fsync it asks ({@link TopicCheck}).
   */
  private static void reconcileFsync(Admin admin, KafkaSettings settings, List<String> topics)
      throws InterruptedException, ExecutionException {
    if (topics.isEmpty()) {
      return;
    }
    AlterConfigOp on =
        new AlterConfigOp(new ConfigEntry(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, "1"), AlterConfigOp.OpType.SET);
    AlterConfigOp off =
        new AlterConfigOp(new ConfigEntry(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, null), AlterConfigOp.OpType.DELETE);
    Topics names = new Topics(settings);
    Map<ConfigResource, java.util.Collection<AlterConfigOp>> ops = new HashMap<>();
    for (String t : topics) {
      boolean sync = settings.fsync() && holdsMail(names, t);
      ops.put(new ConfigResource(ConfigResource.Type.TOPIC, t), List.of(sync ? on : off));
    }
    admin.incrementalAlterConfigs(ops).all().get();
  }

  private static void awaitLeaders(Admin admin, List<String> names, Duration timeout)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ready;
      try {
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        ready =
            described.values().stream()
                .flatMap(d -> d.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(l -> l != null && !l.isEmpty());
      } catch (ExecutionException e) {
        // A topic created a moment ago may not have reached the broker's metadata yet.
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        ready = false;
      }
      if (ready && served(admin, names)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic partitions still without a leader after " + timeout);
      }
      Thread.sleep(50); // Waiting on the cluster's own progress: no event to wait on.
    }
  }

  /**
   * Whether every partition's leader answers for it. The controller names leaders before the
   * broker has loaded the partitions, and an idempotent producer that writes in that gap can stall
   * until its delivery time-out (NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER); an
   * offset look-up is served by the leader itself, so once it succeeds everywhere, writes do too.
   */
  private static boolean served(Admin admin, List<String> names) throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
      for (TopicPartitionInfo p : d.partitions()) {
        latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
      }
    }
    try {
      admin.listOffsets(latest).all().get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        return false;
      }
      throw e;
    }
  }

  /**
   * One partition, so that versions have one order and the offset numbers them; compacted, so that
   * a node starting later reads the current version at once. Synced like mail when fsync is on: a
   * configuration acknowledged to {@code mailstream reload} must survive a power cut.
   */
  private static NewTopic configTopic(KafkaSettings s, Topics t) {
    Map<String, String> c = new HashMap<>(baseConfig(s, true));
    c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(CONFIG_MAX_BYTES));
    return new NewTopic(t.config(), 1, s.replicationFactor()).configs(c);
  }

  /**
   * One partition, so that a hold and the release after it are applied in that order everywhere;
   * kept and synced like mail, because a hold must last as long as the message it holds, and an
   * order acknowledged to the administrator must survive a power cut.
   */
  private static NewTopic controlTopic(KafkaSettings s, Topics t, Duration keep) {
    Map<String, String> c = mailConfig(s, true, keep);
    return new NewTopic(t.control(), 1, s.replicationFactor()).configs(c);
  }

  /** Large access files and aliases, compressed, still fit: 16 MiB per configuration version. */
  public static final int CONFIG_MAX_BYTES = 16 * 1024 * 1024;

  private static NewTopic topic(KafkaSettings s, String name, Map<String, String> config) {
    return new NewTopic(name, s.partitions(), s.replicationFactor()).configs(config);
  }

  /**
   * Whether a topic holds mail that is not yet delivered: those are fsynced when fsync is on. A
   * single broker has no replica to recover from, so every append to them is synced before it is
   * acknowledged; every topic in the chain needs it, or a routed event lost in a power cut would
   * lose mail whose accepted event was already consumed. Outcomes and dead letters only record
   * what happened; losing their last second in a power cut loses no mail, so they skip the cost.
   */
  static boolean holdsMail(Topics t, String topic) {
    return !topic.equals(t.outcomes()) && !topic.equals(t.deadLetter());
  }

  private static Map<String, String> baseConfig(KafkaSettings s, boolean holdsMail) {
    Map<String, String> c = new HashMap<>();
    c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(s.minInsyncReplicas()));
    if (s.fsync() && holdsMail) {
      c.put(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, "1");
    }
    return c;
  }

  private static Map<String, String> mailConfig(KafkaSettings s, boolean holdsMail, Duration retention) {
    Map<String, String> c = baseConfig(s, holdsMail);
    c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024));
    return c;
  }
}
