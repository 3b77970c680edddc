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
import org.apache.kafka.clients.producer.KafkaProducer;
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
    try (AutoCloseable profile = KafkaClients.use("k1.test:9093", "relay1.test", "n1", sasl, Duration.ofSeconds(20), registry)) {
      for (Properties p : List.of(KafkaClients.producer("k1.test:9093", ClientName.of("ingress"), Duration.ofSeconds(30)),
          KafkaClients.transactionalProducer("k1.test:9093", ClientName.worker("router", "n1-0"), "router-0"),
          KafkaClients.consumer("k1.test:9093", "router", "g", "n1-0"),
          KafkaClients.reader("k1.test:9093", ClientName.of("bodies")),
          KafkaClients.admin("k1.test:9093", ClientName.of("topic-admin"), Duration.ofSeconds(5)))) {
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertEquals(KafkaMeterBridge.class.getName(), p.get("metric.reporters"));
        assertSame(registry, p.get(KafkaMeterBridge.REGISTRY_CONFIG));
      }
      assertFalse(KafkaClients.producer("other.test:9092", ClientName.of("ingress"), Duration.ofSeconds(30)).containsKey("security.protocol"));
      Properties member = KafkaClients.consumer("k1.test:9093", "delivery", "g", "node1-0");
      assertEquals(20_000, member.get("session.timeout.ms"), "the node's kafka.session-timeout");
      assertEquals(3_000, member.get("heartbeat.interval.ms"), "Kafka's default, not a third of the session");
      assertEquals("node1-0", member.get("group.instance.id"), "a static member, named by its slot");
      assertEquals("org.apache.kafka.clients.consumer.CooperativeStickyAssignor", member.get("partition.assignment.strategy"));
      // Mailstream's own settings stay its own.
      assertEquals("all", KafkaClients.producer("k1.test:9093", ClientName.of("ingress"), Duration.ofSeconds(30)).get("acks"));
    }
    assertNull(KafkaClients.consumer("k1.test:9093", "delivery", "g", "node1-0").get("security.protocol"));
    assertNull(KafkaClients.consumer("k1.test:9093", "delivery", "g", "node1-0").get("metric.reporters"));
    assertEquals(15_000, KafkaClients.consumer("k1.test:9093", "delivery", "g", "node1-0").get("session.timeout.ms"),
        "without a node's profile: Mailstream's default");
  }

  @Test
  void theHeartbeatIsKafkasDefaultOrAThirdOfAShortSession() {
    assertEquals(3_000, KafkaClients.heartbeatInterval(Duration.ofMinutes(2)), "not 40 s: joins and leaves wait for it");
    assertEquals(3_000, KafkaClients.heartbeatInterval(Duration.ofSeconds(15)));
    assertEquals(2_000, KafkaClients.heartbeatInterval(Duration.ofSeconds(6)), "two lost heartbeats within the session");
  }

  @Test
  void eachClientIsNamedAfterItsHostRoleAndWorker() throws Exception {
    try (AutoCloseable profile = KafkaClients.use("k2.test:9093", "relay2.test", "5eed0001", Map.of(), Duration.ofSeconds(15), null)) {
      assertEquals("relay2.test/router-5eed0001-1", KafkaClients.consumer("k2.test:9093", "router", "g", "5eed0001-1").get("client.id"));
      assertEquals("relay2.test/router-5eed0001-1",
          KafkaClients.transactionalProducer("k2.test:9093", ClientName.worker("router", "5eed0001-1"), "t").get("client.id"),
          "a worker's producer beside its consumer: one name, two kinds of client");
      assertEquals("relay2.test/ingress-5eed0001", KafkaClients.producer("k2.test:9093", ClientName.of("ingress"), Duration.ofSeconds(30)).get("client.id"));
      assertEquals("relay2.test/delivery-reroute-5eed0001-0",
          KafkaClients.transactionalProducer("k2.test:9093", ClientName.worker("delivery-reroute", "5eed0001-0"), "t").get("client.id"));
    }
    assertEquals("mailstream/queue-orders", KafkaClients.producer("k3.test:9093", ClientName.of("queue-orders"), Duration.ofSeconds(30)).get("client.id"),
        "a command-line tool, without a node");
  }

  /** Kafka's JMX beans need the ids of the clients running in one JVM apart; a closed client's id is free again. */
  @Test
  void aSecondClientOfOneNameWhileTheFirstRunsIsNumbered() throws Exception {
    String bootstrap = "127.0.0.1:1"; // never connected to: the producer only registers its name
    try (AutoCloseable profile = KafkaClients.use(bootstrap, "relay3.test", "5eed0003", Map.of(), Duration.ofSeconds(15), null)) {
      Properties first = KafkaClients.producer(bootstrap, ClientName.of("ingress"), Duration.ofSeconds(30));
      assertEquals("relay3.test/ingress-5eed0003", first.get("client.id"));
      try (KafkaProducer<String, byte[]> running = new KafkaProducer<>(first)) {
        assertEquals("relay3.test/ingress-5eed0003#1", KafkaClients.producer(bootstrap, ClientName.of("ingress"), Duration.ofSeconds(30)).get("client.id"));
        assertEquals("relay3.test/ingress-5eed0003", KafkaClients.consumer(bootstrap, "ingress", "g", "5eed0003").get("client.id"),
            "another kind of client: another JMX domain");
        running.close(Duration.ZERO);
      }
      assertEquals("relay3.test/ingress-5eed0003", KafkaClients.producer(bootstrap, ClientName.of("ingress"), Duration.ofSeconds(30)).get("client.id"));
    }
  }
}
