package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.queue.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A temporary routing failure (an alias list whose :include: file is missing) defers the recipient
 * instead of losing it; once the file is there, the next attempt routes and delivers it.
 */
class RerouteEndToEndTest {
  @TempDir Path dir;

  @Test
  void temporaryRoutingFailureIsRetriedAndDelivered() throws Exception {
    Path members = dir.resolve("staff.members");
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "staff: :include:" + members + "\n");
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      ConfigBuilder b =
          new ConfigBuilder()
              .hostname("relay.test")
              .dataDir(dir.resolve("data").toString())
              .listen(List.of("127.0.0.1:0"))
              .localDomains(List.of("example.com"))
              .smartHost("127.0.0.1:" + smartHost.port())
              .kafkaBootstrap(TestKafka.bootstrap())
              .topicPrefix("reroute-" + UUID.randomUUID())
              .partitions(2)
              .deliveryThreads(1)
              .retrySchedule(List.of("2s"));
      b.routing().map("aliases", aliases);
      MailstreamConfig config = b.build();
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        assertTrue(Smtp.send(node.listening().get(0), "a@client.test", "staff@example.com", "to staff").startsWith("250"));
        Path log = dir.resolve("data");
        Path janeNew = log.resolve("mail").resolve("jane").resolve("new");
        // The include file appears only after the first routing attempt was deferred.
        Await.until(() -> node.deliveryWorkers().get(0).queued() == 1, Duration.ofSeconds(60), "deferred routing");
        Files.writeString(members, "jane\n");
        Await.until(() -> hasFiles(janeNew), Duration.ofSeconds(60), "delivery to jane after routing again");
      }
    }
  }

  private static boolean hasFiles(Path d) throws Exception {
    if (!Files.isDirectory(d)) {
      return false;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isPresent();
    }
  }
}
