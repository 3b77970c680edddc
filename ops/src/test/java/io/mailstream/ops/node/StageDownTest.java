package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.queue.state.RetryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose delivery stage cannot start (its retry state is held by someone else) does not
 * promise delivery: MAIL gets 451 4.3.0 and /health says why; once the state is free, the stage
 * starts on the supervisor's next try and mail is accepted and delivered again.
 */
class StageDownTest {
  @TempDir Path dataDir;

  @Test
  void ingressRefusesMailWhileDeliveryCannotStartAndAcceptsOnceItRuns() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      MailstreamConfig config =
          new ConfigBuilder()
              .hostname("relay.test")
              .dataDir(dataDir.toString())
              .listen(List.of("127.0.0.1:0"))
              .smartHost("127.0.0.1:" + smartHost.port())
              .partitions(2)
              .deliveryThreads(1)
              .build();
      // RocksDB allows one opener of a directory: the node's delivery worker cannot open it.
      RetryStore held = RetryStore.open(dataDir.resolve("state").resolve("delivery"));
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        try {
          Await.until(() -> !node.health().ok(), Duration.ofSeconds(30), "delivery down");
          assertEquals("451 4.3.0 Error: mail system not running, try again later",
              Smtp.mailFrom(node.listening().get(0), "a@client.test"));
          HttpResponse<String> health = get("/health");
          assertEquals(503, health.statusCode());
          // Kubernetes' probes: not ready (take it out of the balancer), but alive (don't kill it:
          // the stage comes back by itself).
          assertEquals(503, get("/health/ready").statusCode());
          assertEquals(200, get("/health/live").statusCode());
          assertTrue(health.body().contains("router-0 running"), health.body());
          assertTrue(health.body().contains("router-1 running"), health.body()); // router.workers: 2 by default
          assertTrue(health.body().contains("delivery-0 down"), health.body());
          assertTrue(node.health().text().contains("cannot open retry state"), node.health().text());
        } finally {
          held.close();
        }
        // The second try comes 1 s after the first, the third 2 s later.
        Await.until(() -> node.health().ok(), Duration.ofSeconds(30), "delivery running");
        assertEquals(200, get("/health").statusCode());
        HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("queue: writable"), ready.body());
        assertTrue(Smtp.send(node.listening().get(0), "a@client.test", "b@corp.example", "after").startsWith("250"));
        assertEquals(1, smartHost.awaitMessages(1, Duration.ofSeconds(60)).size());
        assertFalse(node.deliveryWorkers().isEmpty());
      }
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    String address = Files.readString(dataDir.resolve("admin.address"), StandardCharsets.US_ASCII).strip();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + address + path)).GET().build();
    return HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString());
  }
}
