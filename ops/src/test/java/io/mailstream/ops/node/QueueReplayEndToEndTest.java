package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.queue.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mailstream replay against a running node holding bounced, delivered and deferred mail: a dry run
 * sends nothing, a replay sends exactly the recipients asked for once, with a trace of the
 * original, a second replay sends nothing again, delivered mail goes again only with --force, and
 * mail older than what the topics keep is refused whole.
 */
class QueueReplayEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void replaysExactlyWhatWasAskedAndNothingTwice() throws Exception {
    String prefix = "replay-" + UUID.randomUUID();
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      // A wrong route: the smart host refuses bob until it is fixed.
      smartHost.onRcpt("bob@corp.example", "550 5.1.1 <bob@corp.example>... User unknown");
      smartHost.onRcpt("later@slow.example", "451 4.7.1 Try again later");
      MailstreamConfig config = QueueTestNodes.config(dir.resolve("data"), smartHost, prefix, 1, "1h").build();
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        String data = dir.resolve("data").toString();
        String bounced = QueueToolsEndToEndTest.send(node, "bob@corp.example", "bounced by a wrong route");
        String delivered = QueueToolsEndToEndTest.send(node, "ok@corp.example", "delivered once");
        String deferred = QueueToolsEndToEndTest.send(node, "later@slow.example", "still queued");
        Await.until(() -> QueueToolsEndToEndTest.state(data, bounced).equals("bounced")
            && QueueToolsEndToEndTest.state(data, delivered).equals("delivered")
            && QueueToolsEndToEndTest.state(data, deferred).equals("deferred"), WAIT, "first states");
        smartHost.resetScript(); // the route is fixed
        smartHost.onRcpt("later@slow.example", "451 4.7.1 Try again later");

        String dry = Cli.ok("replay", "--data-dir", data, "--state", "bounced", "--dry-run");
        assertTrue(dry.contains(bounced + ": <bob@corp.example>"), dry);
        assertTrue(dry.contains("would replay 1 message to 1 recipient"), dry);

        Cli stepped = Cli.run("replay", "--data-dir", data, "--state", "bounced", "--progress");
        assertEquals(0, stepped.exit(), stepped.err());
        assertTrue(stepped.err().contains("] 1/1"), "a progress bar: " + stepped.err());
        String run = stepped.out();
        assertTrue(run.contains("replayed 1 message to 1 recipient"), run);
        String copy = run.substring(run.indexOf(" -> ") + 4, run.indexOf(": <bob"));
        Await.until(() -> QueueToolsEndToEndTest.state(data, copy).equals("delivered"), WAIT, "the copy delivered");
        ReceivedMessage sent = smartHost.messages().stream().filter(m -> subject(m).equals("bounced by a wrong route"))
            .findFirst().orElseThrow();
        assertTrue(sent.text().startsWith("X-Mailstream-Replay: " + bounced + "; by "), sent.text());
        assertTrue(sent.text().contains("\r\n\r\nbody of bounced by a wrong route\r\n"), "the same bytes");

        // Asked again: bob has it now, through the copy.
        String again = Cli.ok("replay", "--data-dir", data, "--state", "bounced");
        assertTrue(again.contains("replayed 0 messages to 0 recipients, 1 skipped"), again);
        assertTrue(again.contains("already delivered"), again);
        // Delivered mail goes again only with --force; queued mail never.
        assertTrue(Cli.ok("replay", "--data-dir", data, delivered).contains("replayed 0 messages"));
        assertTrue(Cli.ok("replay", "--data-dir", data, deferred).contains("still queued"));
        assertTrue(Cli.ok("replay", "--data-dir", data, delivered, "--force").contains("replayed 1 message to 1 recipient"));
        Await.until(() -> count(smartHost, "delivered once") == 2, WAIT, "the forced copy");
        assertEquals(1, count(smartHost, "bounced by a wrong route"), "one copy for bob, whatever was asked twice");
        assertEquals(0, count(smartHost, "still queued"));

        // Retention removes the oldest record: a window or a message reaching past it is refused whole.
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        try (Admin admin = Admin.create(p)) {
          TopicPartition accepted = new TopicPartition(new Topics(config.kafka()).accepted(), 0);
          admin.deleteRecords(Map.of(accepted, RecordsToDelete.beforeOffset(1))).all().get();
        }
        Cli refused = Cli.run("replay", "--data-dir", data, bounced, "--force");
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.err().contains("was accepted before the oldest mail still in the topics"), refused.err());
        Cli window = Cli.run("replay", "--data-dir", data, "--newer-than", "2d", "--force", "--progress");
        assertEquals(1, window.exit());
        assertTrue(window.err().contains("nothing replayed"), window.err());
        // Counted by their trace field: the node's own notices to the sender may still arrive.
        assertEquals(2, smartHost.messages().stream().filter(m -> header(m).contains("\r\nX-Mailstream-Replay: ")).count(),
            "exactly the two copies were sent");
      }
    }
  }

  private static long count(FakeSmartHost smartHost, String subject) {
    return smartHost.messages().stream().filter(m -> subject(m).equals(subject)).count();
  }

  /** The message's own header section, with a CRLF in front (a notice quotes the original's further down). */
  private static String header(ReceivedMessage m) {
    String t = m.text();
    return "\r\n" + t.substring(0, Math.max(0, t.indexOf("\r\n\r\n")) + 2);
  }

  /** The Subject of the message's own header section. */
  private static String subject(ReceivedMessage m) {
    String header = header(m);
    int i = header.indexOf("\r\nSubject: ");
    return i < 0 ? "" : header.substring(i + 11, header.indexOf("\r\n", i + 11));
  }
}
