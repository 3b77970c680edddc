package io.mailstream.ops.node;

import io.mailstream.ops.cli.ChildStart;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka cluster of three KRaft nodes (each broker and controller), each in a JVM of its own
 * on loopback ports, as {@code load-tests/cluster.sh} runs one: replication factor 3 and
 * min.insync.replicas 2 for Kafka's own topics, so that one broker may die. A broker is killed
 * with SIGKILL ({@link #kill}), as a crashed machine leaves it: no controlled shutdown, no flush.
 */
final class BrokerCluster implements AutoCloseable {
  private static final int NODES = 3;

  private final List<Process> brokers = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  private BrokerCluster() {}

  /** Formats and starts the three nodes under {@code dir}; returns once the cluster has all three brokers. */
  static BrokerCluster start(Path dir) throws Exception {
    BrokerCluster cluster = new BrokerCluster();
    try {
      List<Integer> controllers = new ArrayList<>();
      List<ServerSocket> held = new ArrayList<>(); // all six held at once, so no two are the same
      try {
        for (int n = 0; n < NODES; n++) {
          cluster.ports.add(hold(held));
          controllers.add(hold(held));
        }
      } finally {
        for (ServerSocket socket : held) {
          socket.close();
        }
      }
      String voters = java.util.stream.IntStream.range(0, NODES)
          .mapToObj(n -> (n + 1) + "@127.0.0.1:" + controllers.get(n)).collect(Collectors.joining(","));
      String clusterId = Uuid.randomUuid().toString();
      for (int n = 0; n < NODES; n++) {
        Path home = dir.resolve("broker-" + (n + 1));
        Files.createDirectories(home.resolve("log"));
        Properties p = properties(n + 1, cluster.ports.get(n), controllers.get(n), voters, home.resolve("data"));
        Path file = home.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
          p.store(out, null);
        }
        format(n + 1, clusterId, home.resolve("data"));
        Path log = home.resolve("log/broker.out");
        cluster.logs.add(log);
        Process broker = new ProcessBuilder(ChildStart.java(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-Dmailstream.logdir=" + home.resolve("log"), "-cp", ChildStart.mainClasspath(), "kafka.Kafka", file.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildProcesses.killOnExit(broker);
        cluster.brokers.add(broker);
      }
      cluster.awaitBrokers(NODES, Duration.ofSeconds(120));
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  String bootstrap() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** SIGKILL to broker {@code n} (1 to 3). */
  void kill(int n) throws InterruptedException {
    brokers.get(n - 1).destroyForcibly().waitFor();
  }

  /** Until the cluster's metadata lists {@code count} live brokers. */
  void awaitBrokers(int count, Duration timeout) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(p)) {
      Await.until(() -> brokers(admin) == count, timeout, count + " brokers in the cluster");
    }
  }

  private int brokers(Admin admin) throws IOException {
    for (int n = 0; n < brokers.size(); n++) {
      if (!brokers.get(n).isAlive() && brokers.get(n).exitValue() != 137) {
        Path kafkaLog = logs.get(n).resolveSibling("kafka.log"); // Kafka's own logging, at WARN
        throw new AssertionError("broker " + (n + 1) + " exited: " + Files.readString(logs.get(n))
            + (Files.exists(kafkaLog) ? Files.readString(kafkaLog) : ""));
      }
    }
    try {
      return admin.describeCluster().nodes().get().size();
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() {
    for (Process b : brokers) {
      b.destroyForcibly();
    }
    for (Process b : brokers) {
      try {
        b.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Properties properties(int node, int port, int controllerPort, String voters, Path data) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(node));
    p.put("controller.quorum.voters", voters);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", data.toString());
    p.put("auto.create.topics.enable", "false");
    p.put("min.insync.replicas", "2");
    p.put("unclean.leader.election.enable", "false");
    p.put("offsets.topic.replication.factor", "3");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "3");
    p.put("transaction.state.log.min.isr", "2");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "3");
    p.put("share.coordinator.state.topic.min.isr", "2");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    return p;
  }

  private static void format(int node, String clusterId, Path data) throws Exception {
    new Formatter()
        .setNodeId(node)
        .setClusterId(clusterId)
        .setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(data.toString())
        .setDirectories(List.of(data.toString()))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .run();
  }

  private static int hold(List<ServerSocket> held) throws IOException {
    ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    held.add(s);
    return s.getLocalPort();
  }
}
