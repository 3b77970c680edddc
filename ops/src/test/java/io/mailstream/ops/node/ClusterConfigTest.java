package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.Resolved;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.rules.Trace;
import io.mailstream.ops.reload.ConfigReloader;
import io.mailstream.ops.reload.NodeVersion;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster-wide configuration versions: two router nodes, each with its own files, converge on a
 * version one of them publishes; a node that starts later runs the current version although its
 * own files are older; each node shows the version on GET /version and in its metrics.
 */
class ClusterConfigTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;

  @Test
  void routersConvergeAndALateStarterJoinsTheCurrentVersion() throws Exception {
    String prefix = "cluster-config-" + UUID.randomUUID();
    Path yamlA = files(dirA, prefix, "one");
    Path yamlB = files(dirB, prefix, "one");
    try (MailstreamNode a = start(yamlA);
        MailstreamNode b = start(yamlB)) {
      assertEquals(a.version().number(), b.version().number(), "b joined a's version");
      assertEquals(a.version().hash(), b.version().hash());
      assertEquals("relay:[one.corp.example]:25", route(b.version().rules()));

      // Node a's files change and a publishes them; b applies the version without any change of its own.
      Files.writeString(dirA.resolve("mailertable"), ".corp.example relay:[two.corp.example]\n");
      ConfigReloader.Result published = a.reload("test");
      assertTrue(published.applied(), published.message());
      NodeVersion v2 = a.version();
      assertTrue(v2.number() > 1);
      Await.until(() -> b.version().number() == v2.number(), Duration.ofSeconds(30), "node b applies the new version");
      assertEquals(v2.hash(), b.version().hash());
      assertEquals("relay:[two.corp.example]:25", route(b.version().rules()), "b routes under the new version");
      assertTrue(Files.readString(dirB.resolve("mailertable")).contains("one"), "b's own files are untouched");

      // What the node runs, over its admin endpoint and in its metrics.
      assertEquals(v2.describe() + "\n", get(b, "/version"));
      assertTrue(get(b, "/metrics").contains("mailstream_config_version " + v2.number() + ".0"), "metric");

      // A node that starts later, with the old files, runs the current version.
      Path yamlC = files(dirC, prefix, "one");
      try (MailstreamNode c = start(yamlC)) {
        assertEquals(v2.number(), c.version().number());
        assertEquals(v2.hash(), c.version().hash());
        assertEquals("relay:[two.corp.example]:25", route(c.version().rules()));
      }

      // Reloading unchanged files publishes nothing.
      ConfigReloader.Result same = a.reload("again");
      assertTrue(same.message().endsWith("unchanged"), same.message());
      assertEquals(v2.number(), a.version().number());
      assertFalse(b.version().number() > v2.number());
    }
  }

  /**
   * Three processes started together all find the topic empty; only one of them publishes (issue
   * 13: five processes started together had published four identical versions, each logged as
   * applied everywhere).
   */
  @Test
  void nodesStartedTogetherPublishOneFirstVersion() throws Exception {
    String prefix = "cluster-first-" + UUID.randomUUID();
    List<Path> yamls = List.of(files(dirA, prefix, "one"), files(dirB, prefix, "one"), files(dirC, prefix, "one"));
    ExecutorService starts = Executors.newFixedThreadPool(yamls.size());
    List<MailstreamNode> nodes = new ArrayList<>();
    try {
      List<Future<MailstreamNode>> started = new ArrayList<>();
      for (Path yaml : yamls) {
        started.add(starts.submit(() -> start(yaml)));
      }
      for (Future<MailstreamNode> f : started) {
        nodes.add(f.get(180, TimeUnit.SECONDS));
      }
      assertEquals(1, nodes.stream().map(n -> n.version().number()).distinct().count(), "one version everywhere");
      assertEquals(1, committedVersions(prefix), "one version in the topic");
    } finally {
      for (MailstreamNode n : nodes) {
        n.close();
      }
      starts.shutdownNow();
    }
  }

  private static int committedVersions(String prefix) {
    TopicPartition config = new TopicPartition(prefix + ".config", 0);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(TestKafka.bootstrap(), ClientName.of("test")))) {
      c.assign(List.of(config));
      c.seekToBeginning(List.of(config));
      long end = c.endOffsets(List.of(config)).get(config);
      int n = 0;
      while (c.position(config) < end) {
        n += c.poll(Duration.ofMillis(200)).count();
      }
      return n;
    }
  }

  private static Path files(Path dir, String prefix, String host) throws Exception {
    Files.writeString(dir.resolve("mailertable"), ".corp.example relay:[" + host + ".corp.example]\n");
    Path yaml = dir.resolve("mailstream.yaml");
    Files.writeString(yaml,
        "hostname: relay.test\n"
            + "data-dir: " + dir.resolve("data") + "\n"
            + "kafka:\n  bootstrap: " + TestKafka.bootstrap() + "\n  topic-prefix: " + prefix + "\n  partitions: 2\n"
            + "routing:\n  mailertable: mailertable\n");
    return yaml;
  }

  private static MailstreamNode start(Path yaml) throws Exception {
    return MailstreamNode.start(load(yaml), EnumSet.of(Stage.router), () -> load(yaml), List.of(yaml));
  }

  private static MailstreamConfig load(Path config) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(config, b);
    return b.build();
  }

  private static String route(RuleSet rules) throws Exception {
    Resolved r = rules.resolve(MailAddress.parse("u@x.corp.example"), new Trace()).get(0);
    return ((Resolved.Deliver) r).destination().key();
  }

  private static String get(MailstreamNode node, String path) throws Exception {
    String address = Files.readString(node.config().dataDir().resolve("admin.address"), StandardCharsets.US_ASCII).strip();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + address + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }
}
