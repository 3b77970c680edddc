package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.queue.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes share the work of the router and delivery stages on one broker; one of them stops in
 * the middle of a run and the other finishes it, with every message delivered exactly once.
 */
class TwoNodesTest {
  @TempDir Path dirA;
  @TempDir Path dirB;

  MailstreamConfig config(Path dataDir, int smartHostPort, String prefix) throws Exception {
    return new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dataDir.toString())
        .listen(List.of("127.0.0.1:0"))
        .smartHost("127.0.0.1:" + smartHostPort)
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix(prefix)
        .partitions(4)
        .deliveryThreads(1)
        .build();
  }

  @Test
  void stoppingOneNodeMidRunLosesAndDuplicatesNothing() throws Exception {
    String prefix = "two-" + UUID.randomUUID();
    try (FakeSmartHost smartHost = FakeSmartHost.start();
        MailstreamNode a = MailstreamNode.start(config(dirA, smartHost.port(), prefix), EnumSet.allOf(Stage.class))) {
      MailstreamNode b =
          MailstreamNode.start(config(dirB, smartHost.port(), prefix), EnumSet.of(Stage.router, Stage.delivery));
      int n = 0;
      try {
        // Both nodes hold delivery partitions before the run starts.
        Await.until(() -> b.deliveryWorkers().get(0).partitions() > 0 && a.deliveryWorkers().get(0).partitions() > 0,
            Duration.ofSeconds(60), "both nodes own partitions");
        // Send until node b has delivered some of the mail, then stop it in the middle of the run.
        while (b.deliveryWorkers().get(0).attempts() == 0 && n < 300) {
          assertTrue(Smtp.send(a.listening().get(0), "a@client.test", "r@corp.example", "m-" + n++).startsWith("250"));
        }
        assertTrue(b.deliveryWorkers().get(0).attempts() > 0, "node b took part before it stopped");
        for (int i = 0; i < 20; i++) {
          assertTrue(Smtp.send(a.listening().get(0), "a@client.test", "r@corp.example", "m-" + n++).startsWith("250"));
          if (i == 2) {
            b.close();
          }
        }
      } finally {
        b.close();
      }
      smartHost.awaitMessages(n, Duration.ofSeconds(120));
      Map<String, Long> bySubject =
          smartHost.messages().stream()
              .map(ReceivedMessage::subject)
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertEquals(n, bySubject.size(), "every message arrived");
      assertTrue(bySubject.values().stream().allMatch(c -> c == 1), "none twice: " + bySubject);
      assertTrue(a.deliveryWorkers().get(0).attempts() > 0);
    }
  }

}
