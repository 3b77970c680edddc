package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.ops.cli.ChildStart;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: {@code mailstream start} a second time on a running node's data directory. The second
 * process stops with one line naming the running node's PID and exit status 1, without touching
 * the directory; the running node goes on relaying, stops cleanly, and its data directory starts
 * again without a damaged KRaft log.
 */
class SecondStartTest {
  @TempDir Path dir;

  private MailstreamConfig config(FakeSmartHost smartHost) throws Exception {
    return new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dir.resolve("data").toString())
        .listen(List.of("127.0.0.1:0"))
        .smartHost("127.0.0.1:" + smartHost.port())
        .partitions(1)
        .deliveryThreads(1)
        .build();
  }

  @Test
  void aSecondStartIsRefusedAndTheRunningNodeIsUntouched() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      MailstreamConfig config = config(smartHost);
      MailstreamNode first = MailstreamNode.start(config, EnumSet.allOf(Stage.class));
      try {
        // In this JVM too (two nodes in one test), without dropping the process's lock.
        assertThrows(DataDirInUseException.class, () -> MailstreamNode.start(config, EnumSet.allOf(Stage.class)));

        ChildStart.Result second = new ChildStart().run(dir, Duration.ofSeconds(60),
            "start", "--data-dir", config.dataDir().toString(), "--listen", "127.0.0.1:" + freePort(),
            "--smart-host", "127.0.0.1:" + smartHost.port(), "--hostname", "second.test");
        assertEquals(1, second.status(), second.stderr());
        assertEquals(List.of("mailstream: data directory " + config.dataDir().toRealPath()
                + " is in use by another Mailstream node (PID " + ProcessHandle.current().pid()
                + "); stop it first or give this one another --data-dir"),
            second.errLines());
        assertTrue(second.stdout().isBlank(), "nothing logged: " + second.stdout());

        assertTrue(Smtp.send(first.listening().get(0), "a@client.test", "b@corp.example", "after-second-start").startsWith("250"));
        assertTrue(text(smartHost.awaitMessages(1, Duration.ofSeconds(60)).get(0)).contains("Subject: after-second-start"));
      } finally {
        // Cleanly means promptly: the damaged node of issue 10 never finished its stop.
        CompletableFuture.runAsync(first::close).get(90, TimeUnit.SECONDS);
      }

      try (MailstreamNode again = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        assertTrue(Smtp.send(again.listening().get(0), "a@client.test", "b@corp.example", "after-restart").startsWith("250"));
        assertTrue(text(smartHost.awaitMessages(2, Duration.ofSeconds(60)).get(1)).contains("Subject: after-restart"));
      }
    }
  }

  private static String text(ReceivedMessage m) {
    return new String(m.data(), StandardCharsets.ISO_8859_1);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
