package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.ops.cli.ChildStart;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-stage kills of docs/reliability.md, sized for CI (the full run is {@code
 * load-tests/cluster-faults.sh}): a three-broker cluster, each broker its own JVM, replication
 * factor 3 and min.insync.replicas 2; node A runs every stage in this JVM, node B every stage in a
 * JVM of its own, each taking mail from a client of its own, so that each stage's group has two
 * members, both at work (their {@code /metrics} say so). Under that load one broker and then node B
 * (an ingress, a router and a delivery process at once) are killed with SIGKILL.
 *
 * <p>What must hold: every message a client got {@code 250} for reaches the smart host, B's
 * included (its partitions move to A after the session time-out); mail refused is never
 * delivered; A's client goes on getting {@code 250} after each kill. Duplicates (B's delivery batch
 * in hand when it died) and sessions cut after the final dot (outcome unknowable to the client)
 * are counted and printed, as the full run reports them.
 */
class StageKillsTest {
  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final int MAX_PER_CLIENT = 2_000;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final AtomicInteger acknowledged = new AtomicInteger();
  private volatile boolean stop;

  /** What a client learnt of a message. */
  private enum Outcome {
    ACCEPTED, // 250 to the final dot
    REFUSED, // not handed over (a failure before the final dot was sent), or a 5xx to it
    // The session ended after the final dot and before a reply, or a 4xx came to it: a 451 at
    // the accept deadline may be followed by Kafka storing the message after all (docs/flow.md).
    UNKNOWN
  }

  @Test
  void aKilledBrokerAndAKilledNodeUnderLoadLoseNothingAcknowledged() throws Exception {
    String prefix = "kills-" + UUID.randomUUID();
    try (BrokerCluster cluster = BrokerCluster.start(dir.resolve("cluster"));
        FakeSmartHost sink = FakeSmartHost.start();
        MailstreamNode a = startA(cluster, sink, prefix)) {
      Await.until(() -> a.deliveryWorkers().get(0).partitions() == 4, Duration.ofSeconds(60), "A holds every partition");
      int bPort = freePort();
      Process b = startB(cluster, sink, prefix, bPort);
      ExecutorService clients = Executors.newFixedThreadPool(2);
      try {
        Await.until(() -> a.deliveryWorkers().get(0).partitions() == 2, Duration.ofSeconds(90), "A shares delivery with B");
        Future<Integer> toA = clients.submit(() -> sendUntilStopped(a.listening().get(0), "a"));
        Future<Integer> toB = clients.submit(() -> sendUntilStopped(new InetSocketAddress("127.0.0.1", bPort), "b"));

        awaitAcknowledged(75);
        cluster.kill(2);
        int atBrokerKill = acknowledged.get();
        awaitAcknowledged(atBrokerKill + 50);
        // Each stage's group has two members, and both work: B's router and delivery worker too.
        Path bData = dir.resolve("b").resolve("data");
        Await.until(() -> counted(bData, "mailstream_recipients_routed_total") > 0
            && counted(bData, "mailstream_recipients_delivered_total") > 0, Duration.ofSeconds(30), "B routes and delivers");
        b.destroyForcibly().waitFor();
        int atNodeKill = acknowledged.get();
        awaitAcknowledged(atNodeKill + 30); // only A is left to take them
        stop = true;
        int acceptedByA = toA.get(5, TimeUnit.MINUTES);
        int acceptedByB = toB.get(5, TimeUnit.MINUTES);

        Await.until(() -> a.deliveryWorkers().get(0).partitions() == 4, Duration.ofSeconds(60),
            "A's delivery worker took B's partitions");
        Set<String> mustArrive = subjects(Outcome.ACCEPTED);
        Await.until(() -> copies(sink).keySet().containsAll(mustArrive), Duration.ofSeconds(120),
            "every acknowledged message at the smart host");
        Map<String, Long> copies = copies(sink);
        Set<String> refusedDelivered = subjects(Outcome.REFUSED).stream().filter(copies::containsKey).collect(Collectors.toSet());
        long duplicates = copies.values().stream().filter(n -> n > 1).count();
        Set<String> unknown = subjects(Outcome.UNKNOWN);
        System.out.printf("stage kills: %d sent, %d acknowledged (A %d, B %d), %d delivered, %d duplicated, 0 lost,"
                + " %d unknowable (%d delivered), %d refused; broker 2 killed at %d acknowledged, node B at %d%n",
            outcomes.size(), mustArrive.size(), acceptedByA, acceptedByB, copies.size(), duplicates, unknown.size(),
            unknown.stream().filter(copies::containsKey).count(), subjects(Outcome.REFUSED).size(), atBrokerKill, atNodeKill);
        assertEquals(Set.of(), refusedDelivered, "refused mail is never delivered");
        assertTrue(acceptedByB > 0, "B took mail before it died");
        assertTrue(counted(dir.resolve("a"), "mailstream_recipients_routed_total") > 0);
        assertTrue(counted(dir.resolve("a"), "mailstream_recipients_delivered_total") > 0);
        assertTrue(copies.keySet().stream().allMatch(outcomes::containsKey), "nothing the clients did not send");
      } finally {
        stop = true;
        clients.shutdownNow();
        b.destroyForcibly().waitFor();
      }
    }
  }

  private MailstreamNode startA(BrokerCluster cluster, FakeSmartHost sink, String prefix) throws Exception {
    return MailstreamNode.start(new ConfigBuilder()
        .hostname("relay-a.test")
        .dataDir(dir.resolve("a").toString())
        .listen(List.of("127.0.0.1:0"))
        .smartHost("127.0.0.1:" + sink.port())
        .kafkaBootstrap(cluster.bootstrap())
        .topicPrefix(prefix)
        .partitions(4)
        .replicationFactor(3)
        .minInsyncReplicas(2)
        .deliveryThreads(1)
        .routerWorkers(1)
        .sessionTimeout(SESSION.toSeconds() + "s")
        .build(), EnumSet.allOf(Stage.class));
  }

  /** B: every stage in a JVM of its own, on A's topics; ready once it says so. */
  private Process startB(BrokerCluster cluster, FakeSmartHost sink, String prefix, int port) throws Exception {
    Path home = dir.resolve("b");
    Files.createDirectories(home);
    Path config = home.resolve("mailstream.yaml");
    Files.writeString(config, String.join("\n",
        "hostname: relay-b.test",
        "data-dir: " + home.resolve("data"),
        "listen: [\"127.0.0.1:" + port + "\"]",
        "smart-host: \"127.0.0.1:" + sink.port() + "\"",
        "kafka:",
        "  bootstrap: \"" + cluster.bootstrap() + "\"",
        "  topic-prefix: " + prefix,
        "  partitions: 4",
        "  replication-factor: 3",
        "  min-insync-replicas: 2",
        "  session-timeout: " + SESSION.toSeconds() + "s",
        "router:",
        "  workers: 1",
        "delivery:",
        "  threads: 1",
        ""));
    Path log = home.resolve("b.log");
    Process b = new ChildStart().spawn(home, log, "start", "--config", config.toString());
    ChildProcesses.killOnExit(b);
    try {
      Await.until(() -> Files.readString(log).contains("running stages") || !b.isAlive(), Duration.ofSeconds(90), "B started");
      assertTrue(b.isAlive(), () -> "B did not start: " + read(log));
      return b;
    } catch (Exception | AssertionError e) {
      b.destroyForcibly().waitFor();
      throw e;
    }
  }

  /**
   * Sends one message after the other, each on a connection of its own, until the test says stop,
   * its node refuses 20 in a row, or {@link #MAX_PER_CLIENT} are sent; returns how many got 250.
   */
  private int sendUntilStopped(InetSocketAddress server, String client) {
    int accepted = 0;
    int refusedInARow = 0;
    for (int i = 0; i < MAX_PER_CLIENT && !stop && refusedInARow < 20; i++) { // 20 refusals: its node is gone
      String subject = client + "-" + i;
      Outcome outcome = send(server, subject);
      outcomes.put(subject, outcome);
      refusedInARow = outcome == Outcome.REFUSED ? refusedInARow + 1 : 0;
      if (outcome == Outcome.ACCEPTED) {
        accepted++;
        acknowledged.incrementAndGet();
      }
    }
    return accepted;
  }

  private static Outcome send(InetSocketAddress server, String subject) {
    boolean dotSent = false;
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(60_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      if (!reply(in).startsWith("220")) {
        return Outcome.REFUSED;
      }
      for (String[] step : new String[][] {{"EHLO client.test", "250"}, {"MAIL FROM:<c@client.test>", "250"},
          {"RCPT TO:<r@corp.example>", "250"}, {"DATA", "354"}}) {
        out.write((step[0] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (!reply(in).startsWith(step[1])) {
          return Outcome.REFUSED;
        }
      }
      out.write(("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n.\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      dotSent = true;
      String reply = reply(in);
      if (reply.startsWith("250")) {
        return Outcome.ACCEPTED;
      }
      return reply.startsWith("5") ? Outcome.REFUSED : Outcome.UNKNOWN;
    } catch (IOException e) {
      return dotSent ? Outcome.UNKNOWN : Outcome.REFUSED;
    }
  }

  /** The last line of a reply; empty when the connection ended first. */
  private static String reply(BufferedReader in) throws IOException {
    String line = in.readLine();
    while (line != null && line.length() > 3 && line.charAt(3) == '-') {
      line = in.readLine();
    }
    return line == null ? "" : line;
  }

  private void awaitAcknowledged(int count) throws Exception {
    Await.until(() -> acknowledged.get() >= count, Duration.ofMinutes(3), count + " messages acknowledged");
  }

  private Set<String> subjects(Outcome outcome) {
    return outcomes.entrySet().stream().filter(e -> e.getValue() == outcome).map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  private static Map<String, Long> copies(FakeSmartHost sink) {
    return sink.messages().stream().map(ReceivedMessage::subject)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }


  /**
   * The sum of a counter's series in a node's {@code /metrics}, found through its data directory;
   * 0 while the node does not answer yet.
   */
  private static double counted(Path dataDir, String name) throws InterruptedException {
    try {
      String address = Files.readString(dataDir.resolve("admin.address"), StandardCharsets.US_ASCII).strip();
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() != 200 ? 0 : r.body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
