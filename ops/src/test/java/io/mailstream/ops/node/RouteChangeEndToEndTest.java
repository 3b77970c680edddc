package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.RerouteRequested;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.ops.reload.ConfigReloader;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: mail deferred against a smart host where nothing listens keeps no route that no longer
 * exists. Once the smart host is changed (a restart with another {@code --smart-host}, or a new
 * configuration and {@code reload}), the next attempt goes to the new one, and the message arrives
 * there exactly once: the stale retry entry is retired as the recipient is handed back to the
 * router, which routes it once under the new rules.
 */
class RouteChangeEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void restartWithAnotherSmartHostDeliversDeferredMailAtTheNextAttemptOnce() throws Exception {
    int dead = deadPort();
    String prefix = "restart-route-" + UUID.randomUUID();
    try (FakeSmartHost live = FakeSmartHost.start()) {
      Deferred deferred;
      try (MailstreamNode first = MailstreamNode.start(config(prefix, dead), EnumSet.allOf(Stage.class))) {
        assertTrue(Smtp.send(first.listening().get(0), "a@client.test", "b@corp.example", "rerouted").startsWith("250"));
        deferred = awaitDeferred(first);
        Await.until(() -> first.deliveryWorkers().get(0).queued() == 1, WAIT, "the retry entry");
      }

      try (MailstreamNode second = MailstreamNode.start(config(prefix, live.port()), EnumSet.allOf(Stage.class))) {
        List<ReceivedMessage> got = live.awaitMessages(1, WAIT);
        assertTrue(System.currentTimeMillis() >= deferred.nextAttemptAtMillis(), "not before the next attempt time");
        assertTrue(text(got.get(0)).contains("Subject: rerouted"));
        assertDeliveredOnceThroughTheNewRoute(second, dead, live);
      }
    }
  }

  @Test
  void reloadedSmartHostDeliversDeferredMailAtTheNextAttemptOnce() throws Exception {
    int dead = deadPort();
    Path yaml = dir.resolve("mailstream.yaml");
    String prefix = "reload-route-" + UUID.randomUUID();
    write(yaml, prefix, dead);
    try (FakeSmartHost live = FakeSmartHost.start();
        MailstreamNode node =
            MailstreamNode.start(load(yaml), EnumSet.allOf(Stage.class), () -> load(yaml), List.of(yaml))) {
      long before = node.rulesVersion();
      assertTrue(Smtp.send(node.listening().get(0), "a@client.test", "b@corp.example", "rerouted").startsWith("250"));
      Deferred deferred = awaitDeferred(node);
      Await.until(() -> node.deliveryWorkers().get(0).queued() == 1, WAIT, "the retry entry");

      write(yaml, prefix, live.port());
      ConfigReloader.Result result = node.reload("test");
      assertTrue(result.applied(), result.toString());
      assertTrue(node.rulesVersion() > before, "a new configuration version runs");

      List<ReceivedMessage> got = live.awaitMessages(1, WAIT);
      assertTrue(System.currentTimeMillis() >= deferred.nextAttemptAtMillis(), "not before the next attempt time");
      assertTrue(text(got.get(0)).contains("Subject: rerouted"));
      assertDeliveredOnceThroughTheNewRoute(node, dead, live);
    }
  }

  /**
   * Waits until the message is recorded as delivered and no retry entry is left, then checks the
   * whole history: one routing to the dead port, one hand-back, one routing to the live host under
   * other rules, one delivery. Nothing is left that could send it again, so no waiting for more.
   */
  private static void assertDeliveredOnceThroughTheNewRoute(MailstreamNode node, int dead, FakeSmartHost live)
      throws Exception {
    Topics topics = new Topics(node.config().kafka());
    Await.until(() -> TopicEvents.read(node.bootstrap(), topics.outcomes()).stream().anyMatch(e -> e instanceof Delivered),
        WAIT, "the Delivered outcome");
    Await.until(() -> node.deliveryWorkers().get(0).queued() == 0, WAIT, "the retry state to empty");

    // The two routings go to different partitions (the key holds the destination), which a reader
    // returns in no particular order: put them in the order they were routed.
    List<RecipientRouted> routed = TopicEvents.read(node.bootstrap(), topics.routed()).stream()
        .map(RecipientRouted.class::cast)
        .sorted(java.util.Comparator.comparingLong(RecipientRouted::routedAtMillis)).toList();
    assertEquals(2, routed.size(), routed.toString());
    assertEquals(dead, routed.get(0).destination().port());
    assertEquals(live.port(), routed.get(1).destination().port());
    assertNotEquals(routed.get(0).routingFingerprint(), routed.get(1).routingFingerprint());
    assertEquals(routed.get(0).recipients(), routed.get(1).recipients(), "the same recipient, not expanded again");

    List<MailEvent> accepted = TopicEvents.read(node.bootstrap(), topics.accepted());
    assertEquals(1, accepted.stream().filter(e -> e instanceof RerouteRequested).count(), accepted.toString());
    List<MailEvent> outcomes = TopicEvents.read(node.bootstrap(), topics.outcomes());
    assertEquals(1, outcomes.stream().filter(e -> e instanceof Delivered).count(), outcomes.toString());
    assertEquals(1, live.messages().size());
  }

  private MailstreamConfig config(String prefix, int smartHostPort) throws Exception {
    // As `mailstream start --smart-host 127.0.0.1:<port>`: a command-line option, not a file.
    return new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dir.resolve("data").toString())
        .listen(List.of("127.0.0.1:0"))
        .smartHost("127.0.0.1:" + smartHostPort)
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix(prefix)
        .partitions(2)
        .deliveryThreads(1)
        .retrySchedule(List.of("3s"))
        .build();
  }

  private void write(Path yaml, String prefix, int smartHostPort) throws Exception {
    Path tmp = yaml.resolveSibling("mailstream.yaml.new");
    Files.writeString(tmp,
        "hostname: relay.test\n"
            + "data-dir: " + dir.resolve("data") + "\n"
            + "listen: [127.0.0.1:0]\n"
            + "smart-host: 127.0.0.1:" + smartHostPort + "\n"
            + "kafka:\n  bootstrap: " + TestKafka.bootstrap() + "\n  topic-prefix: " + prefix + "\n  partitions: 2\n"
            + "delivery:\n  threads: 1\n  retry-schedule: [3s]\n");
    Files.move(tmp, yaml, StandardCopyOption.REPLACE_EXISTING);
  }

  private static MailstreamConfig load(Path yaml) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(yaml, b);
    return b.build();
  }

  /** A loopback port where nothing listens: connections to it are refused at once. */
  private static int deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Deferred awaitDeferred(MailstreamNode node) throws Exception {
    Topics topics = new Topics(node.config().kafka());
    Deferred[] found = new Deferred[1];
    Await.until(() -> {
      Optional<Deferred> d = TopicEvents.read(node.bootstrap(), topics.outcomes()).stream()
          .filter(e -> e instanceof Deferred).map(Deferred.class::cast).findFirst();
      d.ifPresent(x -> found[0] = x);
      return d.isPresent();
    }, WAIT, "the Deferred outcome");
    return found[0];
  }

  private static String text(ReceivedMessage m) {
    return new String(m.data(), StandardCharsets.ISO_8859_1);
  }
}
