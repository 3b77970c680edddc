package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.ops.reload.ConfigReloader;
import io.mailstream.queue.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads while mail flows: two clients send a steady stream through one node while the whole
 * configuration (yaml and mailertable) changes several times; every message that got 250 arrives
 * at the smart host exactly once, and every reload is applied.
 */
class ReloadUnderLoadTest {
  @TempDir Path dir;

  @Test
  void reloadingWhileSendingLosesAndDuplicatesNothing() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      Path config = dir.resolve("mailstream.yaml");
      write(config, yaml(smartHost.port(), 100, "reload-load-" + UUID.randomUUID()));
      write(dir.resolve("mailertable"), mailertable(0));
      MailstreamConfig first = load(config);
      try (MailstreamNode node = MailstreamNode.start(first, EnumSet.allOf(Stage.class), () -> load(config), List.of(config))) {
        String prefix = first.kafka().topicPrefix();
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < 2; c++) {
          String client = "c" + c;
          Thread t = new Thread(() -> {
            for (int i = 0; sending.get(); i++) {
              String subject = client + "-" + i;
              try {
                if (Smtp.send(node.listening().get(0), "a@client.test", "r" + i + "@x.corp.example", subject).startsWith("250")) {
                  accepted.add(subject);
                }
              } catch (Exception | AssertionError e) {
                failures.add(e);
              }
            }
          }, "sender-" + c);
          clients.add(t);
          t.start();
        }
        long before = node.version().number();
        int reloads = 6;
        for (int r = 1; r <= reloads; r++) {
          int seen = accepted.size();
          Await.until(() -> accepted.size() >= seen + 5, Duration.ofSeconds(60), "mail flowing before reload " + r);
          // The whole configuration changes: a yaml setting and the mailertable (same route, new text).
          write(config, yaml(smartHost.port(), 100 + r, prefix));
          write(dir.resolve("mailertable"), mailertable(r));
          ConfigReloader.Result result = node.reload("test " + r);
          assertTrue(result.applied(), result.message());
          assertEquals(100 + r, node.version().config().limits().maxRecipients());
        }
        sending.set(false);
        for (Thread t : clients) {
          t.join(Duration.ofSeconds(60).toMillis());
        }
        assertEquals(List.of(), failures, "no client was refused");
        assertTrue(node.version().number() >= before + reloads, "every reload became a version: " + node.version());
        smartHost.awaitMessages(accepted.size(), Duration.ofSeconds(120));
        Map<String, Long> bySubject =
            smartHost.messages().stream()
                .map(ReceivedMessage::subject)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(Set.copyOf(accepted), bySubject.keySet(), "every accepted message arrived, nothing else");
        assertTrue(bySubject.values().stream().allMatch(n -> n == 1), "none twice: " + bySubject);
        System.out.printf("reload under load: %d messages accepted and delivered once across %d reloads%n",
            accepted.size(), reloads);
      }
    }
  }

  private static String yaml(int smartHostPort, int maxRecipients, String prefix) {
    return "hostname: relay.test\n"
        + "listen: [127.0.0.1:0]\n"
        + "kafka:\n  bootstrap: " + TestKafka.bootstrap() + "\n  topic-prefix: " + prefix + "\n  partitions: 2\n"
        + "limits:\n  max-recipients: " + maxRecipients + "\n"
        + "routing:\n  mailertable: mailertable\n"
        + "mailers:\n  relay: " + smartHostPort + "\n";
  }

  private String dataDirLine() {
    return "data-dir: " + dir.resolve("data") + "\n";
  }

  private static String mailertable(int edition) {
    return "# edition " + edition + "\n.corp.example relay:[127.0.0.1]\n";
  }

  // Editors replace files; a rename is what the watcher and a reload see as one change.
  private void write(Path file, String text) throws Exception {
    String content = file.getFileName().toString().equals("mailstream.yaml") ? dataDirLine() + text : text;
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static MailstreamConfig load(Path config) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(config, b);
    return b.build();
  }

}
