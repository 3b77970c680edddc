package io.mailstream.queue.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode, inside the Mailstream JVM: the embedded
 * default. Its log lives under {@code <data-dir>/kafka}, is formatted once and kept across restarts.
 * It listens on 127.0.0.1 only.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final String bootstrap;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrap) {
    this.server = server;
    this.bootstrap = bootstrap;
  }

  /**
   * Formats {@code dir} if it holds no broker yet, then starts the broker and returns once it serves.
   *
   * @param port the client port; 0 picks a free one
   */
  public static EmbeddedKafka start(Path dir, int port) {
    try {
      Files.createDirectories(dir);
      int brokerPort = port == 0 ? freePort() : port;
      int controllerPort = freePort();
      KafkaConfig config = new KafkaConfig(properties(dir, brokerPort, controllerPort), false);
      if (!Files.exists(dir.resolve("meta.properties"))) {
        format(config, dir);
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      String bootstrap = "127.0.0.1:" + brokerPort;
      log.debug("embedded Kafka broker started at {} with data in {}", bootstrap, dir);
      return new EmbeddedKafka(server, bootstrap);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dir, e);
    }
  }

  public String bootstrap() {
    return bootstrap;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    log.info("embedded Kafka broker stopped");
  }

  private static Properties properties(Path dir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.toAbsolutePath().toString());
    // One node: Kafka's internal topics cannot have more than one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // The log cleaner keeps its key-to-offset map in a heap buffer of this size for as long as the
    // broker runs: Kafka's 128 MiB default was a third of the embedded node's live heap. The
    // compacted topics here (retry state, config, group offsets) hold thousands of keys, not the
    // millions that buffer is sized for; 16 MiB still maps some 600,000 keys per cleaning.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    return p;
  }

  private static void format(KafkaConfig config, Path dir) {
    try {
      new Formatter()
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(config.metadataLogDir())
          .setDirectories(List.of(dir.toAbsolutePath().toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          // Its report (a 700-character dump of the bootstrap records) is for kafka-storage.sh
          // users; a relay's console says what runs instead.
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
