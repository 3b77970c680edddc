package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.ops.reload.NodeVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up lines for the cases a child start does not cover: MX delivery, a router alone. */
class StartupSummaryTest {
  private static final InetSocketAddress ADMIN = new InetSocketAddress("127.0.0.1", 40000);

  @Test
  void withoutASmartHostMailGoesToEachDomainsMxHosts() throws Exception {
    ConfigBuilder b = new ConfigBuilder().hostname("relay.example").dataDir("/srv/mailstream/data")
        .listen(List.of("0.0.0.0:25", "0.0.0.0:587 msa")).localDomains(List.of("example.com"));
    b.smtp().usersFile(Path.of("/etc/mailstream/users"));
    MailstreamConfig c = b.build();
    String summary = StartupSummary.of("ab12cd34", EnumSet.allOf(Stage.class),
        List.of(new InetSocketAddress("0.0.0.0", 25), new InetSocketAddress("0.0.0.0", 587)),
        new NodeVersion(3, "9f2c01ab77de", c, RuleSet.load(c), AccessDb.empty()), "127.0.0.1:35001", ADMIN);
    Path data = Path.of("/srv/mailstream/data");
    assertEquals("""
        Mailstream relay.example (node ab12cd34) running stages ingress, router, delivery
          listening on 0.0.0.0:25 (mta), 0.0.0.0:587 (msa)
          mail goes to each domain's MX hosts (no smart host set); local domains example.com
          data directory %s (mail log %s, Kafka's log %s)
          admin endpoint http://127.0.0.1:40000 (/metrics, /health/ready, /health/live)
          Kafka embedded broker at 127.0.0.1:35001 (data %s)
          configuration version 3 (9f2c01ab77de)"""
        .formatted(data, data.resolve("log/maillog"), data.resolve("log/kafka.log"), data.resolve("kafka")), summary);
  }

  @Test
  void aDeliveryNodeOnAClusterSaysNothingOfListenersOrRoutes() throws Exception {
    MailstreamConfig c = new ConfigBuilder().hostname("relay.example").dataDir("/srv/d1")
        .kafkaBootstrap("k1:9092,k2:9092").build();
    String summary = StartupSummary.of("ab12cd34", EnumSet.of(Stage.delivery), List.of(),
        new NodeVersion(1, "0123456789ab", c, RuleSet.load(c), AccessDb.empty()), "k1:9092,k2:9092", ADMIN);
    assertEquals("""
        Mailstream relay.example (node ab12cd34) running stages delivery
          data directory /srv/d1 (mail log /srv/d1/log/maillog, Kafka's log /srv/d1/log/kafka.log)
          admin endpoint http://127.0.0.1:40000 (/metrics, /health/ready, /health/live)
          Kafka cluster k1:9092,k2:9092
          configuration version 1 (0123456789ab)""", summary);
  }
}
