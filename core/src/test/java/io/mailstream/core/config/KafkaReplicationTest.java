package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replication when the configuration does not say: one copy on the embedded broker, and on a
 * cluster min(3, brokers) with min.insync.replicas 2 from three copies on, never RF 1 by default.
 */
class KafkaReplicationTest {
  @ParameterizedTest(name = "bootstrap {0}, rf {1}, min isr {2} on {3} brokers -> {4}/{5}")
  @CsvSource(nullValues = "-", value = {
      // Embedded: decided when the configuration is built.
      "-,              -, -, 1, 1, 1",
      // A cluster, nothing configured: from its size.
      "k1:9092,        -, -, 1, 1, 1",
      "k1:9092,        -, -, 2, 2, 1",
      "k1:9092,        -, -, 3, 3, 2",
      "k1:9092,        -, -, 5, 3, 2",
      // Configured settings stay; min ISR follows a configured RF.
      "k1:9092,        3, -, 5, 3, 2",
      "k1:9092,        2, -, 5, 2, 1",
      "k1:9092,        3, 1, 5, 3, 1",
      "k1:9092,        -, 1, 5, 3, 1",
  })
  void replicationIsChosenFromTheClusterWhenNotConfigured(
      String bootstrap, Integer rf, Integer minIsr, int brokers, int expectedRf, int expectedMinIsr) throws Exception {
    ConfigBuilder b = new ConfigBuilder().hostname("relay.test");
    if (bootstrap != null) {
      b.kafkaBootstrap(bootstrap);
    }
    if (rf != null) {
      b.replicationFactor(rf);
    }
    if (minIsr != null) {
      b.minInsyncReplicas(minIsr);
    }
    KafkaSettings chosen = b.build().kafka().forCluster(brokers);
    assertEquals(expectedRf, chosen.replicationFactor());
    assertEquals(expectedMinIsr, chosen.minInsyncReplicas());
  }
}
