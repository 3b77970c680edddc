package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes share a broker: node a takes mail and routes it, node b delivers it. Orders given to a
 * are obeyed by b: a hold stops b's retries of a deferred message at once, a hold given while b is
 * down is applied before b attempts anything, and a release makes b deliver.
 */
class QueueToolsTwoNodesTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dirA;
  @TempDir Path dirB;

  private MailstreamConfig config(Path dataDir, FakeSmartHost smartHost, String prefix) throws Exception {
    return QueueTestNodes.config(dataDir, smartHost, prefix, 2, "1s").build();
  }

  @Test
  void ordersGivenToOneNodeAreObeyedByTheOther() throws Exception {
    String prefix = "queue2-" + UUID.randomUUID();
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      smartHost.onRcpt("x@slow.example", "451 4.7.1 Try again later");
      smartHost.onRcpt("z@slow.example", "451 4.7.1 Try again later");
      try (MailstreamNode a = MailstreamNode.start(config(dirA, smartHost, prefix), EnumSet.of(Stage.ingress, Stage.router))) {
        String data = dirA.toString();
        MailstreamNode b = MailstreamNode.start(config(dirB, smartHost, prefix), EnumSet.of(Stage.delivery));
        try {
          String x = QueueToolsEndToEndTest.send(a, "x@slow.example", "held while retried");
          String z = QueueToolsEndToEndTest.send(a, "z@slow.example", "retried throughout");
          // Node b retries both every second.
          smartHost.awaitCommands("RCPT TO:<x@slow.example>", 2, WAIT);
          assertTrue(Cli.ok("hold", "--data-dir", data, x).startsWith("1 message held"));
          // Once b shows the hold, its retries of x stop; z's go on, which shows b is retrying.
          Await.until(() -> QueueToolsEndToEndTest.state(dirB.toString(), x).equals("held"), WAIT, "b applies the hold");
          long xAttempts = smartHost.count("RCPT TO:<x@slow.example>");
          long zAttempts = smartHost.count("RCPT TO:<z@slow.example>");
          smartHost.awaitCommands("RCPT TO:<z@slow.example>", (int) zAttempts + 3, WAIT);
          assertTrue(smartHost.count("RCPT TO:<x@slow.example>") <= xAttempts + 1,
              "at most the attempt already under way when b applied the hold");
          long xHeld = smartHost.count("RCPT TO:<x@slow.example>");
          smartHost.awaitCommands("RCPT TO:<z@slow.example>", (int) zAttempts + 5, WAIT);
          assertEquals(xHeld, smartHost.count("RCPT TO:<x@slow.example>"), "no attempt while held");

          // A hold given while b is down: b applies it before its first attempt.
          b.close();
          String fresh = QueueToolsEndToEndTest.send(a, "fresh@corp.example", "held before its first attempt");
          Await.until(() -> QueueToolsEndToEndTest.state(data, fresh).equals("queued")
                  && Cli.ok("show", "--data-dir", data, fresh).contains(" routed "), WAIT, "a routes the fresh message");
          assertTrue(Cli.ok("hold", "--data-dir", data, fresh).startsWith("1 message held"));
          smartHost.resetScript();
          b = MailstreamNode.start(config(dirB, smartHost, prefix), EnumSet.of(Stage.delivery));
          String probe = QueueToolsEndToEndTest.send(a, "probe@corp.example", "sent after the restart");
          Await.until(() -> subjects(smartHost).contains("sent after the restart"), WAIT, "b delivers new mail");
          assertFalse(subjects(smartHost).contains("held before its first attempt"), "the held message waits");
          assertEquals(0, smartHost.count("RCPT TO:<fresh@corp.example>"));
          assertEquals("held", QueueToolsEndToEndTest.state(data, fresh));

          // Releasing both on a: b delivers them at once, each once.
          assertTrue(Cli.ok("release", "--data-dir", data, "--state", "held").startsWith("2 messages released"));
          Await.until(() -> subjects(smartHost).containsAll(Set.of("held while retried", "held before its first attempt")),
              WAIT, "b delivers the released messages");
          Await.until(() -> QueueToolsEndToEndTest.state(data, fresh).equals("delivered")
              && QueueToolsEndToEndTest.state(data, x).equals("delivered")
              && QueueToolsEndToEndTest.state(data, probe).equals("delivered"), WAIT, "a sees them delivered");
          assertEquals(1, subjects(smartHost).stream().filter("held before its first attempt"::equals).count());
          assertEquals(1, subjects(smartHost).stream().filter("held while retried"::equals).count());
        } finally {
          b.close();
        }
      }
    }
  }

  private static List<String> subjects(FakeSmartHost smartHost) {
    return smartHost.messages().stream().map(ReceivedMessage::text)
        .map(t -> t.substring(t.indexOf("Subject: ") + 9, t.indexOf("\r\n", t.indexOf("Subject: "))))
        .toList();
  }
}
