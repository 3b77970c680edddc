package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.queue.broker.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka goes away under a running node (every stage) and comes back on the same address: new
 * clients are told 421 meanwhile, and afterwards router and delivery carry on by themselves. Mail
 * accepted before and after is delivered exactly once.
 */
class BrokerRestartTest {
  @TempDir Path dir;

  @Test
  void theNodeRidesOutABrokerRestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      MailstreamConfig config =
          new ConfigBuilder()
              .hostname("relay.test")
              .dataDir(dir.resolve("data").toString())
              .listen(List.of("127.0.0.1:0"))
              .smartHost("127.0.0.1:" + smartHost.port())
              .kafkaBootstrap(broker.bootstrap())
              .partitions(2)
              .deliveryThreads(1)
              .retrySchedule(List.of("2s"))
              .build();
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        InetSocketAddress smtp = node.listening().get(0);
        assertTrue(Smtp.send(smtp, "a@client.test", "b@corp.example", "before").startsWith("250"));
        smartHost.awaitMessages(1, Duration.ofSeconds(60));

        broker.close();
        Await.until(() -> banner(smtp).startsWith("421 4.3.0"), Duration.ofSeconds(30), "421 while Kafka is away");

        broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
        Await.until(() -> banner(smtp).startsWith("220"), Duration.ofSeconds(60), "220 once Kafka is back");
        assertTrue(Smtp.send(smtp, "a@client.test", "b@corp.example", "after").startsWith("250"));
        smartHost.awaitMessages(2, Duration.ofSeconds(90));

        // Nothing more arrives: no duplicates from the restart.
        Thread.sleep(3000);
        Map<String, Long> bySubject = smartHost.messages().stream()
            .collect(Collectors.groupingBy(ReceivedMessage::subject, Collectors.counting()));
        assertEquals(Map.of("before", 1L, "after", 1L), bySubject);
      }
    } finally {
      broker.close();
    }
  }


  private static String banner(InetSocketAddress smtp) {
    try (Socket s = new Socket(smtp.getAddress(), smtp.getPort())) {
      s.setSoTimeout(10_000);
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      return line == null ? "" : line;
    } catch (Exception e) {
      return "";
    }
  }

}
