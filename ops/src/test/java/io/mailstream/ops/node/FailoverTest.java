package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.ops.cli.ChildStart;
import io.mailstream.queue.testkit.TestKafka;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail-over of the router and delivery stages between processes (issue 13): node A runs every stage
 * in this JVM, node B runs a router and a delivery worker in a JVM of its own, sharing A's broker and
 * topics; each owns half of each stage's partitions. The session time-out is set to two minutes, so
 * that waiting it out cannot pass for a fail-over: mail on B's partitions must flow again long before.
 *
 * <p>A clean stop of B leaves the groups, so A takes B's partitions at once. B killed with {@code
 * kill -9} and started again on its data directory (systemd's {@code Restart=}) rejoins as the same
 * static members and takes its partitions back at once, instead of waiting for its dead self's
 * session to end. Neither loses a message; the stop duplicates none, the kill at most the batch in
 * hand.
 */
class FailoverTest {
  private static final Duration SESSION = Duration.ofMinutes(2);
  private static final Duration WELL_WITHIN_SESSION = Duration.ofSeconds(75);
  private static final int MESSAGES = 24;

  @TempDir Path dirA;
  @TempDir Path dirB;

  private String prefix;
  private FakeSmartHost smartHost;

  @Test
  void aCleanStopHandsThePartitionsOverAtOnce() throws Exception {
    try (FakeSmartHost sink = FakeSmartHost.start(); MailstreamNode a = startA(sink)) {
      Process b = startB();
      try {
        awaitShared(a);
        b.destroy(); // SIGTERM: the graceful stop
        assertTrue(b.waitFor(90, TimeUnit.SECONDS), "B stopped");
        long stopped = System.nanoTime();
        sendAll(a);
        smartHost.awaitMessages(MESSAGES, WELL_WITHIN_SESSION);
        assertTrue(System.nanoTime() - stopped < WELL_WITHIN_SESSION.toNanos());
        assertEquals(1L, copies().values().stream().max(Long::compare).orElseThrow(), "none twice: " + copies());
        assertEquals(MESSAGES, copies().size());
      } finally {
        b.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void aKilledProcessStartedAgainTakesItsPartitionsBackAtOnce() throws Exception {
    try (FakeSmartHost sink = FakeSmartHost.start(); MailstreamNode a = startA(sink)) {
      Process b = startB();
      try {
        awaitShared(a);
        b.destroyForcibly().waitFor(); // kill -9: no leave, no commit
        long killed = System.nanoTime();
        sendAll(a);
        b = startB();
        smartHost.awaitMessages(MESSAGES, WELL_WITHIN_SESSION);
        assertTrue(System.nanoTime() - killed < WELL_WITHIN_SESSION.toNanos());
        assertEquals(MESSAGES, copies().size(), "every message arrived: " + copies());
      } finally {
        b.destroyForcibly().waitFor();
      }
    }
  }

  private MailstreamNode startA(FakeSmartHost sink) throws Exception {
    smartHost = sink;
    prefix = "failover-" + UUID.randomUUID();
    return MailstreamNode.start(new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dirA.resolve("data").toString())
        .listen(List.of("127.0.0.1:0"))
        .smartHost("127.0.0.1:" + sink.port())
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix(prefix)
        .partitions(4)
        .deliveryThreads(1)
        .sessionTimeout(SESSION.toMinutes() + "m")
        .build(), EnumSet.allOf(Stage.class));
  }

  /** B: a router and a delivery worker in a JVM of its own, on the same topics; ready once it says so. */
  private Process startB() throws Exception {
    Path config = dirB.resolve("mailstream.yaml");
    Files.writeString(config, String.join("\n",
        "hostname: relay-b.test",
        "data-dir: " + dirB.resolve("data"),
        "smart-host: \"127.0.0.1:" + smartHost.port() + "\"",
        "kafka:",
        "  bootstrap: \"" + TestKafka.bootstrap() + "\"",
        "  topic-prefix: " + prefix,
        "  partitions: 4",
        "  session-timeout: " + SESSION.toMinutes() + "m",
        "delivery:",
        "  threads: 1",
        ""));
    Path log = dirB.resolve("b-" + System.nanoTime() + ".log");
    Process b = new ChildStart().spawn(dirB, log, "start", "--config", config.toString(), "--stages", "router,delivery");
    Await.until(() -> Files.readString(log).contains("running stages") || !b.isAlive(), Duration.ofSeconds(90), "B started");
    assertTrue(b.isAlive(), () -> "B did not start: " + read(log));
    return b;
  }

  /** Until B holds partitions of both groups: A then owns only half of each. */
  private static void awaitShared(MailstreamNode a) throws Exception {
    Await.until(() -> a.deliveryWorkers().get(0).partitions() == 2, Duration.ofSeconds(90), "A shares delivery with B");
  }

  private void sendAll(MailstreamNode a) throws Exception {
    InetSocketAddress smtp = a.listening().get(0);
    for (int i = 0; i < MESSAGES; i++) {
      assertTrue(Smtp.send(smtp, "a@client.test", "r@corp.example", "m-" + i).startsWith("250"));
    }
  }

  private Map<String, Long> copies() {
    return smartHost.messages().stream().map(ReceivedMessage::subject)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }


  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return e.toString();
    }
  }
}
