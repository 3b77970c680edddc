package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.Topics;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile clients of docs/reliability.md: a node under attack by clients that do not play by the
 * rules keeps serving the one that does. While 2,000 connections sit silent or trickle a command a
 * byte a second, others break off DATA half way (closing, resetting, or just stopping), pipeline
 * hundreds of commands, send garbage, or flood commands after HELO without reading a reply, an
 * honest client sends its messages with normal replies, and they are delivered once. Nothing of a
 * half message is queued, and each misbehaving client gets correct SMTP replies.
 */
class HostileClientsTest {
  private static final int SLOW = 2000;
  private static final int HONEST_MESSAGES = 20;
  private static final Duration REPLY = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void misbehavingClientsDoNotHurtAnHonestOneAndQueueNothingHalfSent() throws Exception {
    // Both ends of every slow connection live in this JVM, beside the broker's files.
    long fds = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
    assertTrue(fds >= 2L * SLOW + 2000, "this test needs " + (2 * SLOW + 2000) + " file descriptors; ulimit -n allows " + fds);
    try (MailLogTap maillog = new MailLogTap();
        FakeSmartHost smartHost = FakeSmartHost.start();
        MailstreamNode node = MailstreamNode.start(config(smartHost), EnumSet.allOf(Stage.class));
        SlowClients slow = SlowClients.open(node.listening().get(0), SLOW)) {
      InetSocketAddress server = node.listening().get(0);
      // Threads of their own: the common pool has a single thread on a 2-core machine.
      ExecutorService background = Executors.newFixedThreadPool(2);
      Future<?> trickling = background.submit(() -> slow.trickle("NOOP\r\n", Duration.ofMillis(700)));
      Future<FloodResult> flood = background.submit(() -> CommandFlood.withoutPipelining(server, Duration.ofSeconds(10)));
      background.shutdown();

      List<LineClient> halfSent = halfSentData(server);
      pipelinedCommands(server);
      garbage(server);

      // The honest client, all along: every reply as usual, every message taken promptly.
      List<String> subjects = new ArrayList<>();
      for (int i = 0; i < HONEST_MESSAGES; i++) {
        String subject = "honest " + i + " " + UUID.randomUUID();
        long start = System.nanoTime();
        String reply = Smtp.send(server, "alice@client.test", "bob@corp.example", subject);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(reply.startsWith("250 2.0.0 "), "message " + i + ": " + reply);
        assertTrue(took < 10_000, "message " + i + " took " + took + " ms");
        subjects.add(subject);
      }

      FloodResult flooded = flood.get(60, TimeUnit.SECONDS);
      // After HELO, replies carry no enhanced status codes (RFC 2034 3).
      assertEquals(List.of("220", "250", "250 Ok"), flooded.firstReplies(), "replies to the flood, in order: " + flooded);

      trickling.get(60, TimeUnit.SECONDS);
      slow.assertGreetedAndAnswered("220 relay.test ESMTP", "250 Ok"); // no EHLO, no enhanced status codes
      for (LineClient c : halfSent) {
        c.close();
      }
      Await.until(() -> maillog.grep("lost connection during DATA").size() == 4, Duration.ofSeconds(30),
          "a lost connection logged for each half-sent message");

      List<ReceivedMessage> got = smartHost.awaitMessages(HONEST_MESSAGES, Duration.ofSeconds(60));
      for (String subject : subjects) {
        assertEquals(1, got.stream().filter(m -> m.text().contains("Subject: " + subject + "\r\n")).count(), subject);
      }
      assertTrue(got.stream().noneMatch(m -> m.text().contains("half")), "nothing of a half message delivered");
      // The queue holds exactly the honest messages: none of the half-sent DATA, none from the floods.
      List<MessageAccepted> queued = TopicEvents.read(node.bootstrap(), new Topics(node.config().kafka()).accepted()).stream()
          .filter(MessageAccepted.class::isInstance).map(MessageAccepted.class::cast).toList();
      assertEquals(HONEST_MESSAGES, queued.size(), "only whole messages are queued: " + queued);
    }
  }

  private MailstreamConfig config(FakeSmartHost smartHost) throws Exception {
    ConfigBuilder b = new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dir.resolve("data").toString())
        .listen(List.of("127.0.0.1:0"))
        .smartHost("127.0.0.1:" + smartHost.port())
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix("hostile-" + UUID.randomUUID())
        .partitions(2)
        .deliveryThreads(1);
    // Room for the slow crowd and the others, all from 127.0.0.1.
    b.smtp().maxConnections(SLOW + 100).maxConnectionsPerIp(SLOW + 100);
    return b.build();
  }

  /**
   * Sessions that stop in the middle of DATA: one closes, one resets, one sends the final dot
   * without its CRLF and closes, one just stops sending and stays (returned, for closing later).
   */
  private static List<LineClient> halfSentData(InetSocketAddress server) throws Exception {
    List<LineClient> open = new ArrayList<>();
    for (String ending : List.of("close", "reset", "dot-without-crlf", "stay")) {
      LineClient c = new LineClient(server);
      assertTrue(c.reply(REPLY).startsWith("220 "));
      c.send("EHLO half.test", "MAIL FROM:<mallory@client.test>", "RCPT TO:<bob@corp.example>", "DATA");
      assertTrue(c.reply(REPLY).startsWith("250 "), ending);
      assertEquals(List.of("250 2.1.0 Ok", "250 2.1.5 Ok"), c.replies(2, REPLY), ending);
      assertTrue(c.reply(REPLY).startsWith("354 "), ending);
      StringBuilder body = new StringBuilder("Subject: half " + ending + "\r\n\r\n");
      for (int i = 0; i < 2000; i++) {
        body.append("line ").append(i).append(" of a message that never ends\r\n");
      }
      c.write(body.toString().getBytes(StandardCharsets.US_ASCII));
      switch (ending) {
        case "close" -> c.close();
        case "reset" -> c.reset();
        case "dot-without-crlf" -> {
          c.write(".".getBytes(StandardCharsets.US_ASCII));
          c.close();
        }
        default -> open.add(c);
      }
    }
    return open;
  }

  /** With PIPELINING offered: 600 commands in one write, every reply in order and correct. */
  private static void pipelinedCommands(InetSocketAddress server) throws Exception {
    try (LineClient c = new LineClient(server)) {
      assertTrue(c.reply(REPLY).startsWith("220 "));
      c.send("EHLO pipeliner.test");
      List<String> ehlo = new ArrayList<>();
      for (String line = c.line(REPLY); ; line = c.line(REPLY)) {
        ehlo.add(line);
        if (line.charAt(3) == ' ') {
          break;
        }
      }
      assertTrue(ehlo.contains("250-PIPELINING"), ehlo.toString());
      List<String> commands = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        commands.addAll(List.of("MAIL FROM:<p" + i + "@client.test>", "RCPT TO:<bob@corp.example>", "RSET", "NOOP"));
        expected.addAll(List.of("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.0.0 Ok", "250 2.0.0 Ok"));
      }
      commands.add("QUIT");
      expected.add("221 2.0.0 Bye");
      c.send(commands.toArray(String[]::new));
      assertEquals(expected, c.replies(expected.size(), REPLY));
    }
  }

  /**
   * Unknown verbs, a line too long and octets that are not text: 500 with 5.5.x, and the session
   * goes on, until the 26th such line ends it with 421 4.7.0.
   */
  private static void garbage(InetSocketAddress server) throws Exception {
    try (LineClient c = new LineClient(server)) {
      assertTrue(c.reply(REPLY).startsWith("220 "));
      c.send("EHLO garbage.test");
      c.reply(REPLY);
      c.send("XYZZY plugh", "GET / HTTP/1.1", "A".repeat(5000));
      assertEquals(List.of("500 5.5.1 Error: command unrecognized", "500 5.5.1 Error: command unrecognized",
          "500 5.5.2 Line too long"), c.replies(3, REPLY));
      c.write(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xff, (byte) 0xfe, 0, '\r', '\n'});
      assertTrue(c.reply(REPLY).startsWith("500 5.5.2 "), "non-text octets in a command");
      c.send("NOOP");
      assertEquals("250 2.0.0 Ok", c.reply(REPLY));
      // sendmail's MAXBADCOMMANDS: the 26th ends the session.
      String[] more = new String[22];
      Arrays.fill(more, "XYZZY");
      c.send(more);
      List<String> replies = c.replies(22, REPLY);
      assertEquals(Collections.nCopies(21, "500 5.5.1 Error: command unrecognized"), replies.subList(0, 21));
      assertEquals("421 4.7.0 relay.test Too many bad commands; closing connection", replies.get(21));
      assertNull(c.line(REPLY), "closed after the 421");
    }
  }
}
