package io.mailstream.queue.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * kafka.client-properties reach every kind of client of their cluster (producers, transactional
 * producers, group consumers, readers, admin clients) and no other cluster's, next to the meter
 * bridge; closing the profile forgets them.
 */
class KafkaClientsProfileTest {
  @Test
  void everyClientOfTheClusterGetsTheProfile() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Map<String, String> sasl = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512");
    try (AutoCloseable profile = KafkaClients.use("k1.test:9093", sasl, registry)) {
      for (Properties p : List.of(KafkaClients.producer("k1.test:9093", Duration.ofSeconds(30)),
          KafkaClients.transactionalProducer("k1.test:9093", "router-0"), KafkaClients.consumer("k1.test:9093", "g"),
          KafkaClients.reader("k1.test:9093"), KafkaClients.admin("k1.test:9093", Duration.ofSeconds(5)))) {
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertEquals(KafkaMeterBridge.class.getName(), p.get("metric.reporters"));
        assertSame(registry, p.get(KafkaMeterBridge.REGISTRY_CONFIG));
      }
      assertFalse(KafkaClients.producer("other.test:9092", Duration.ofSeconds(30)).containsKey("security.protocol"));
      // Mailstream's own settings stay its own.
      assertEquals("all", KafkaClients.producer("k1.test:9093", Duration.ofSeconds(30)).get("acks"));
    }
    assertNull(KafkaClients.consumer("k1.test:9093", "g").get("security.protocol"));
    assertNull(KafkaClients.consumer("k1.test:9093", "g").get("metric.reporters"));
  }
}
