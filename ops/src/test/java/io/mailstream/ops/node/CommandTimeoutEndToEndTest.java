package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.Topics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtp.command-timeout} on a running node, set by a reload: a client silent after EHLO, and
 * one silent in the middle of DATA, get {@code 421 4.4.2} and are disconnected, with a mail log
 * line each and nothing of the half message queued; a client that keeps talking, however slowly,
 * is not cut and its message is delivered; and a session that began before the reload keeps the
 * time-out it started with.
 */
class CommandTimeoutEndToEndTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  // The machine is shared and loaded: every wait for a reply is generous, and only the silent
  // clients' replies are expected to take about TIMEOUT.
  private static final Duration REPLY = Duration.ofSeconds(30);
  private static final Duration PAUSE = Duration.ofMillis(500);

  @TempDir Path dir;

  @Test
  void silentClientsAreCutAndTalkingOnesAreNot() throws Exception {
    try (MailLogTap maillog = new MailLogTap();
        FakeSmartHost smartHost = FakeSmartHost.start()) {
      Path config = dir.resolve("mailstream.yaml");
      String prefix = "timeout-" + UUID.randomUUID();
      write(config, smartHost, prefix, ""); // the default: five minutes
      try (MailstreamNode node =
              MailstreamNode.start(load(config), EnumSet.allOf(Stage.class), () -> load(config), List.of(config));
          LineClient before = greeted(node.listening().get(0))) {
        InetSocketAddress server = node.listening().get(0);
        write(config, smartHost, prefix, "smtp:\n  command-timeout: 2s\n");
        Cli.ok("reload", "--data-dir", dir.resolve("data").toString());

        silentAfterEhlo(server);
        Await.until(() -> maillog.grep("NOQUEUE: timeout waiting for input during server cmd read",
            "reject=421 4.4.2 relay.test Error: timeout exceeded", "relay=").size() == 1,
            REPLY, "a mail log line for the silent client");

        silentInData(server);
        Await.until(() -> maillog.grep(": timeout waiting for input during message collect", "reject=421 4.4.2").size() == 1,
            REPLY, "a mail log line for the message cut off");
        assertTrue(maillog.grep("NOQUEUE: timeout waiting for input during message collect").isEmpty(),
            "the line names the message's queue id: " + maillog.grep("timeout"));

        String subject = "slow but steady " + UUID.randomUUID();
        talkingSlowly(server, subject);

        // Silent far longer than two seconds by now, and still served: it started under five minutes.
        before.send("NOOP");
        assertEquals("250 2.0.0 Ok", before.reply(REPLY), "a session keeps the time-out it started with");

        List<ReceivedMessage> got = smartHost.awaitMessages(1, Duration.ofSeconds(60));
        assertEquals(1, got.size());
        assertTrue(got.get(0).text().contains("Subject: " + subject + "\r\n"), got.get(0).text());
        List<MessageAccepted> queued =
            TopicEvents.read(node.bootstrap(), new Topics(node.config().kafka()).accepted()).stream()
                .filter(MessageAccepted.class::isInstance).map(MessageAccepted.class::cast).toList();
        assertEquals(1, queued.size(), "only the whole message is queued: " + queued);
        assertTrue(smartHost.messages().stream().noneMatch(m -> m.text().contains("half")), "nothing of the half message delivered");
      }
    }
  }

  /** EHLO, then nothing: 421 4.4.2 after the time-out, not before, and the server closes. */
  private static void silentAfterEhlo(InetSocketAddress server) throws Exception {
    try (LineClient c = greeted(server)) {
      long start = System.nanoTime();
      assertEquals("421 4.4.2 relay.test Error: timeout exceeded", c.line(REPLY));
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(waited >= TIMEOUT.toMillis() - 100, "cut after " + waited + " ms, before the time-out");
      assertNull(c.line(REPLY), "the server closes the connection after the 421");
    }
  }

  /** Half a message, then nothing (sendmail's Timeout.datablock): 421 4.4.2, closed. */
  private static void silentInData(InetSocketAddress server) throws Exception {
    try (LineClient c = greeted(server)) {
      c.send("MAIL FROM:<mallory@client.test>", "RCPT TO:<bob@corp.example>", "DATA");
      assertEquals(List.of("250 2.1.0 Ok", "250 2.1.5 Ok"), c.replies(2, REPLY));
      assertTrue(c.reply(REPLY).startsWith("354 "));
      c.write("Subject: half a message\r\n\r\nthe first line and no more\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("421 4.4.2 relay.test Error: timeout exceeded", c.line(REPLY));
      assertNull(c.line(REPLY), "the server closes the connection after the 421");
    }
  }

  /**
   * NOOPs a quarter of the time-out apart for three time-outs, then a message whose lines come as
   * slowly: every pause is well within the time-out, so nothing is cut and the message is taken.
   */
  private static void talkingSlowly(InetSocketAddress server, String subject) throws Exception {
    try (LineClient c = greeted(server)) {
      long end = System.nanoTime() + 3 * TIMEOUT.toNanos();
      while (System.nanoTime() < end) {
        LockSupport.parkNanos(PAUSE.toNanos());
        c.send("NOOP");
        assertEquals("250 2.0.0 Ok", c.reply(REPLY));
      }
      c.send("MAIL FROM:<alice@client.test>", "RCPT TO:<bob@corp.example>", "DATA");
      assertEquals(List.of("250 2.1.0 Ok", "250 2.1.5 Ok"), c.replies(2, REPLY));
      assertTrue(c.reply(REPLY).startsWith("354 "));
      c.send("Subject: " + subject, "");
      for (int i = 0; i < 3 * TIMEOUT.toMillis() / PAUSE.toMillis(); i++) {
        LockSupport.parkNanos(PAUSE.toNanos());
        c.send("line " + i + " of a message typed slowly");
      }
      c.send(".");
      String reply = c.reply(REPLY);
      assertTrue(reply.startsWith("250 2.0.0 "), reply);
      c.send("QUIT");
      assertTrue(c.reply(REPLY).startsWith("221 "));
    }
  }

  private static LineClient greeted(InetSocketAddress server) throws Exception {
    LineClient c = new LineClient(server);
    assertTrue(c.reply(REPLY).startsWith("220 relay.test "));
    c.send("EHLO client.test");
    assertTrue(c.reply(REPLY).startsWith("250 "));
    return c;
  }

  private void write(Path config, FakeSmartHost smartHost, String prefix, String smtp) throws Exception {
    Path tmp = dir.resolve("mailstream.yaml.new");
    Files.writeString(tmp,
        "hostname: relay.test\n"
            + "data-dir: " + dir.resolve("data") + "\n"
            + "listen: [127.0.0.1:0]\n"
            + "smart-host: \"127.0.0.1:" + smartHost.port() + "\"\n"
            + "kafka:\n  bootstrap: " + TestKafka.bootstrap() + "\n  topic-prefix: " + prefix + "\n  partitions: 2\n"
            + "delivery:\n  threads: 1\n"
            + smtp);
    Files.move(tmp, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static MailstreamConfig load(Path config) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(config, b);
    return b.build();
  }
}
