package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.ops.node.SendmailCommand.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sendmail -bp} ({@code mailq}), {@code -q}, {@code -qR} and {@code -qI} against a running
 * node holding mail its next hop deferred (451). Retries are an hour apart, so every attempt after
 * the first is one a queue run asked for. As nobody (when the test runs as root), the queue is
 * listed but not run: the admin token is not readable.
 */
class SendmailQueueEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void theQueueVerbsListAndRunTheNodesQueue() throws Exception {
    // nobody must reach the socket and the data directory's files.
    Files.setAttribute(dir, "unix:mode", 0755);
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      smartHost.onRcpt("later@slow.example", "451 4.7.1 Try again later");
      smartHost.onRcpt("again@other.example", "451 4.7.1 Try again later");
      Path data = dir.resolve("data");
      try (MailstreamNode node = MailstreamNode.start(
          QueueTestNodes.config(data, smartHost, "sendmail-queue-" + UUID.randomUUID(), 2, "1h").build(),
          EnumSet.allOf(Stage.class))) {
        Files.setAttribute(data, "unix:mode", 0755);
        Map<String, String> env = Map.of("MAILSTREAM_DATA_DIR", data.toString());
        String later = QueueToolsEndToEndTest.send(node, "later@slow.example", "deferred one");
        String again = QueueToolsEndToEndTest.send(node, "again@other.example", "deferred two");
        Await.until(() -> QueueToolsEndToEndTest.state(data.toString(), later).equals("deferred")
            && QueueToolsEndToEndTest.state(data.toString(), again).equals("deferred"), WAIT, "both messages deferred");

        // -bp and mailq: the node's queue in sendmail's layout, with each recipient's last reply.
        Result bp = SendmailCommand.run(List.of(), env, "", "-bp");
        assertEquals(0, bp.status(), bp.toString());
        assertTrue(bp.out().contains("Mail queue (2 requests)"), bp.out());
        assertTrue(bp.out().contains(later) && bp.out().contains(again), bp.out());
        assertTrue(bp.out().contains("<later@slow.example> deferred: 451 4.7.1 Try again later"), bp.out());
        assertFalse(bp.out().contains("spool"), "an empty spool is not listed beside a running node:\n" + bp.out());
        Result mailq = SendmailCommand.runProgram(List.of(), env, "", SendmailCommand.REPO.resolve("mailq").toString());
        assertEquals(0, mailq.status(), mailq.toString());
        assertEquals(bp.out(), mailq.out());

        if (SendmailCommand.root()) {
          // Any user lists the queue; only those who can read the token run it.
          Result nobodyLists = SendmailCommand.run(SendmailCommand.NOBODY, env, "", "-bp");
          assertEquals(0, nobodyLists.status(), nobodyLists.toString());
          assertTrue(nobodyLists.out().contains("<later@slow.example> deferred"), nobodyLists.out());
          Result nobodyRuns = SendmailCommand.run(SendmailCommand.NOBODY, env, "", "-q");
          assertEquals(77, nobodyRuns.status(), nobodyRuns.toString());
          assertTrue(nobodyRuns.err().contains("only root and the node's user may run the node's queue: "
              + data.resolve("admin.token") + " is not readable by nobody"), nobodyRuns.err());
        }

        // The next hop takes mail again. -qR: a recipient containing the text, in any case.
        smartHost.onRcpt("later@slow.example", "250 2.1.5 Ok");
        smartHost.onRcpt("again@other.example", "250 2.1.5 Ok");
        assertEquals(1, smartHost.count("RCPT TO:<later@slow.example>"), "no attempt but the first so far");
        Result qr = SendmailCommand.run(List.of(), env, "", "-v", "-qR", "SLOW.exam");
        assertEquals(0, qr.status(), qr.toString());
        assertTrue(qr.out().contains("1 deferred message to be attempted now: " + later), qr.out());
        Await.until(() -> QueueToolsEndToEndTest.state(data.toString(), later).equals("delivered"), WAIT,
            "the message to slow.example delivered");
        assertEquals("deferred", QueueToolsEndToEndTest.state(data.toString(), again), "the other is left alone");
        assertEquals(1, smartHost.count("RCPT TO:<again@other.example>"));

        // -qI: a queue id containing the text.
        Result qi = SendmailCommand.run(List.of(), env, "", "-v", "-qI" + again.substring(2, again.length() - 1));
        assertEquals(0, qi.status(), qi.toString());
        assertTrue(qi.out().contains("1 deferred message to be attempted now: " + again), qi.out());
        Await.until(() -> QueueToolsEndToEndTest.state(data.toString(), again).equals("delivered"), WAIT,
            "the message with that queue id delivered");

        // Nothing deferred: -q has nothing to ask for, and the queue is empty.
        Result q = SendmailCommand.run(List.of(), env, "", "-v", "-q");
        assertEquals(0, q.status(), q.toString());
        assertTrue(q.out().contains("0 deferred messages to be attempted now"), q.out());
        Result empty = SendmailCommand.run(List.of(), env, "", "-bp");
        assertEquals(0, empty.status(), empty.toString());
        assertTrue(empty.out().startsWith("Mail queue is empty"), empty.out());
      }
    }
  }
}
