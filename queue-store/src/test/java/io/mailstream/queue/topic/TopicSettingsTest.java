package io.mailstream.queue.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.KafkaSettings;
import io.mailstream.queue.broker.EmbeddedKafka;
import io.mailstream.queue.testkit.TestKafka;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topics keep the settings of the node that created them: a node whose configuration asks for
 * more refuses to run, one line per setting; a cluster node without a replication factor takes it
 * from the cluster; a node started before its brokers waits for them.
 */
class TopicSettingsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Settings of a node on a cluster (bootstrap given), for the topics of {@code prefix}. */
  private static KafkaSettings cluster(String prefix, int partitions, int rf, int minIsr, boolean fsync) {
    return new KafkaSettings(TestKafka.bootstrap(), prefix, partitions, (short) rf, minIsr, fsync);
  }

  @Test
  void weakerExistingTopicsAreRefusedWithOneLinePerSettingAndLeftAsTheyAre() throws Exception {
    // An earlier node created the topics with 2 partitions, one copy, min ISR 1, no fsync.
    KafkaSettings first = TestKafka.freshTopics(2, false);
    KafkaSettings stronger = cluster(first.topicPrefix(), 4, 2, 2, true);
    TopicSettingsException e = assertThrows(TopicSettingsException.class,
        () -> TopicAdmin.ensure(TestKafka.bootstrap(), stronger, TIMEOUT));
    List<String> lines = e.problems();
    assertEquals(4, lines.size(), String.join("\n", lines));
    String accepted = first.topicPrefix() + ".accepted";
    assertTrue(lines.get(0).startsWith("kafka.partitions: this node's configuration expects 4 but found 2 on "),
        lines.get(0));
    assertTrue(lines.get(0).contains(accepted), lines.get(0));
    assertTrue(lines.get(1).startsWith("kafka.replication-factor: this node's configuration expects 2 but found 1 on "),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("kafka.min-insync-replicas: this node's configuration expects 2 but found 1 on "),
        lines.get(2));
    assertTrue(lines.get(3).startsWith("kafka.fsync: this node's configuration expects flush.messages=1 but found"
        + " flush.messages=unset on "), lines.get(3));
    // Outcomes and dead letters hold no mail: no fsync asked of them.
    assertFalse(lines.get(3).contains(first.topicPrefix() + ".outcomes"), lines.get(3));
    // The config topic has one partition by design: not a shortfall.
    assertFalse(lines.get(0).contains(first.topicPrefix() + ".config"), lines.get(0));

    try (Admin admin = admin()) {
      TopicDescription d = admin.describeTopics(List.of(accepted)).allTopicNames().get().get(accepted);
      assertEquals(2, d.partitions().size(), "the refusing node changed nothing");
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, accepted);
      assertFalse("1".equals(admin.describeConfigs(List.of(r)).all().get().get(r).get("flush.messages").value()));
    }
    // A node asking for what is there, or less, runs.
    TopicAdmin.ensure(TestKafka.bootstrap(), cluster(first.topicPrefix(), 2, 1, 1, false), TIMEOUT);
    TopicAdmin.ensure(TestKafka.bootstrap(), cluster(first.topicPrefix(), 1, 1, 1, false), TIMEOUT);
  }

  @Test
  void aClusterNodeWithoutReplicationFactorTakesItFromTheBrokers() throws Exception {
    String prefix = "auto" + ProcessHandle.current().pid();
    KafkaSettings unset = cluster(prefix, 2, KafkaSettings.FROM_CLUSTER, 0, false);
    TopicAdmin.ensure(TestKafka.bootstrap(), unset, TIMEOUT);
    try (Admin admin = admin()) {
      String accepted = prefix + ".accepted";
      TopicDescription d = admin.describeTopics(List.of(accepted)).allTopicNames().get().get(accepted);
      assertEquals(1, d.partitions().get(0).replicas().size(), "one broker: one copy");
    }
    // The same node again finds its topics as strong as its (chosen) settings.
    TopicAdmin.ensure(TestKafka.bootstrap(), unset, TIMEOUT);
  }

  @Test
  void aNodeStartedBeforeItsBrokerWaitsForIt(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + port;
    KafkaSettings settings = new KafkaSettings(bootstrap, "late", 1, (short) 1, 1, false);
    long started = System.nanoTime();
    CompletableFuture<Void> ensured = CompletableFuture.runAsync(() -> TopicAdmin.ensure(bootstrap, settings, TIMEOUT));
    // Longer than one retry: the old behaviour gave up after the time-out; this one keeps waiting.
    assertThrows(java.util.concurrent.TimeoutException.class,
        () -> ensured.get(ClusterWait.EVERY.toMillis() + 1000, TimeUnit.MILLISECONDS));
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir, port)) {
      ensured.get(60, TimeUnit.SECONDS);
      assertTrue(System.nanoTime() - started > ClusterWait.EVERY.toNanos());
      try (Admin admin = Admin.create(props(broker.bootstrap()))) {
        assertTrue(admin.listTopics().names().get().contains("late.accepted"));
      }
    }
  }

  private static Admin admin() {
    return Admin.create(props(TestKafka.bootstrap()));
  }

  private static Properties props(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }
}
