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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
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
