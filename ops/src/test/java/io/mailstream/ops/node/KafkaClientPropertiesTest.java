package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.queue.testkit.TestKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * kafka.client-properties reach the real clients of a running node: every producer, consumer and
 * admin client it creates logs its configuration (Kafka's own "... values:" block), and each of
 * them carries the operator's setting. The settings chosen are harmless on the plaintext test
 * broker (a truststore type is read only for TLS), so the node runs and its clients connect.
 */
class KafkaClientPropertiesTest {
  // Kafka logs each client's configuration at INFO, from AbstractConfig or the config class.
  private static final List<String> CONFIG_LOGGERS = List.of(
      "org.apache.kafka.common.config.AbstractConfig",
      "org.apache.kafka.clients.producer.ProducerConfig",
      "org.apache.kafka.clients.consumer.ConsumerConfig",
      "org.apache.kafka.clients.admin.AdminClientConfig");

  @TempDir Path dir;

  @Test
  void everyClientOfTheNodeGetsTheSettings() throws Exception {
    ConfigBuilder b = new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dir.toString())
        .listen(List.of("127.0.0.1:0"))
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix("props-" + UUID.randomUUID())
        .partitions(1)
        .deliveryThreads(1)
        .routerWorkers(1);
    b.kafkaClientProperty("security.protocol", "PLAINTEXT");
    b.kafkaClientProperty("ssl.truststore.type", "PEM");
    MailstreamConfig config = b.build();

    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(logging);
    seen.start();
    List<Level> before = new ArrayList<>();
    for (String name : CONFIG_LOGGERS) {
      Logger logger = logging.getLogger(name);
      before.add(logger.getLevel());
      logger.setLevel(Level.INFO);
      logger.addAppender(seen);
    }
    try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
      Await.until(() -> node.health().ok(), java.time.Duration.ofSeconds(60), "the node to run");
    } finally {
      for (int i = 0; i < CONFIG_LOGGERS.size(); i++) {
        Logger logger = logging.getLogger(CONFIG_LOGGERS.get(i));
        logger.detachAppender(seen);
        logger.setLevel(before.get(i));
      }
    }
    Map<String, Integer> clients = new TreeMap<>();
    List<ILoggingEvent> events;
    synchronized (seen.list) {
      events = new ArrayList<>(seen.list);
    }
    for (ILoggingEvent e : events) {
      String text = e.getFormattedMessage();
      int values = text.indexOf(" values: ");
      if (values < 0) {
        continue;
      }
      String kind = text.substring(0, values).strip();
      clients.merge(kind, 1, Integer::sum);
      assertTrue(text.contains("\n\tssl.truststore.type = PEM\n"), kind + " without the setting:\n" + text);
      assertTrue(text.contains("\n\tsecurity.protocol = PLAINTEXT\n"), text);
    }
    // Producers (ingress, router, delivery, config topic), consumers (stages, bodies, config topic),
    // admin clients (topics, queue probe, consumer lag).
    assertEquals(List.of("AdminClientConfig", "ConsumerConfig", "ProducerConfig"), List.copyOf(clients.keySet()), clients.toString());
    assertTrue(clients.values().stream().allMatch(n -> n >= 2), clients.toString());
  }
}
