package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.queue.topic.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose data directory (with the embedded broker's log under it) is on a small real tmpfs:
 * filled below {@code smtp.min-free-space}, the ingress answers {@code 452 4.3.1} at MAIL, for a
 * SIZE that would cross the floor, and at the end of DATA for a body that crossed it while it
 * arrived; nothing of those messages is queued, Kafka never meets a full disk and the node keeps
 * running. Once the space is freed the node takes mail again by itself and delivers it.
 */
class DiskFullTest {
  private static final long MIB = 1024 * 1024;
  private static final long FLOOR = 24 * MIB;
  private static final String INSUFFICIENT = "452 4.3.1 Insufficient system storage";

  @TempDir Path temp;

  @Test
  void belowTheFloorMailGets452UntilSpaceReturnsAndNothingUnstoredIsAcknowledged() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(temp.resolve("disk"), 160);
        FakeSmartHost smartHost = FakeSmartHost.start()) {
      ConfigBuilder b = new ConfigBuilder()
          .hostname("relay.test")
          .dataDir(disk.path().resolve("data").toString())
          .listen(List.of("127.0.0.1:0"))
          .smartHost("127.0.0.1:" + smartHost.port())
          .partitions(2)
          .deliveryThreads(1);
      b.smtp().minFreeSpace(FLOOR);
      MailstreamConfig config = b.build();
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        InetSocketAddress smtp = node.listening().get(0);
        assertTrue(Smtp.send(smtp, "a@client.test", "b@corp.example", "before").startsWith("250"));
        smartHost.awaitMessages(1, Duration.ofSeconds(60));

        // Below the floor: refused at MAIL, whatever the size.
        Path filler = disk.path().resolve("filler");
        fillUntilFree(filler, disk, FLOOR - 8 * MIB);
        Await.until(() -> Smtp.mailFrom(smtp, "a@client.test").equals(INSUFFICIENT), Duration.ofSeconds(10),
            "MAIL refused for lack of space");
        assertEquals(INSUFFICIENT, Smtp.mailFrom(smtp, "a@client.test"));

        // Just above the floor: a declared SIZE that would cross it is refused, a small message is not
        // refused at MAIL, and a large body that took the room while it arrived is refused at its end.
        Files.delete(filler);
        fillUntilFree(filler, disk, FLOOR + 6 * MIB);
        Await.until(() -> Smtp.mailFrom(smtp, "a@client.test").startsWith("250"), Duration.ofSeconds(10),
            "MAIL taken just above the floor");
        try (Dialog d = Dialog.open(smtp)) {
          assertEquals(INSUFFICIENT, d.say("MAIL FROM:<a@client.test> SIZE=" + 10 * MIB));
          assertEquals("250 2.1.0 Ok", d.say("MAIL FROM:<a@client.test>"));
          assertEquals("250 2.1.5 Ok", d.say("RCPT TO:<c@corp.example>"));
          assertTrue(d.say("DATA").startsWith("354"));
          assertEquals(INSUFFICIENT, d.body(10 * MIB));
          // The session goes on: the client may try again later on the same connection.
          assertEquals("250 2.0.0 Ok", d.say("RSET"));
        }
        assertEquals(1, accepted(node).size(), "only the first message is queued");

        // Space returns: mail is taken and delivered again, without a restart.
        Files.delete(filler);
        Await.until(() -> Smtp.mailFrom(smtp, "a@client.test").startsWith("250"), Duration.ofSeconds(10),
            "MAIL taken once space returned");
        assertTrue(Smtp.send(smtp, "a@client.test", "b@corp.example", "after").startsWith("250"));
        var got = smartHost.awaitMessages(2, Duration.ofSeconds(60));
        assertEquals(2, got.size());
        assertEquals(2, accepted(node).size());
        assertTrue(node.health().ok(), node.health().text());
      }
    }
  }

  private static List<MessageAccepted> accepted(MailstreamNode node) {
    String topic = new Topics(node.config().kafka()).accepted();
    return TopicEvents.read(node.bootstrap(), topic).stream()
        .filter(MessageAccepted.class::isInstance).map(MessageAccepted.class::cast).toList();
  }

  /** Writes {@code file} until about {@code free} octets are left on the disk. */
  private static void fillUntilFree(Path file, Tmpfs disk, long free) throws Exception {
    ByteBuffer block = ByteBuffer.allocate((int) MIB);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long toWrite = disk.usable() - free;
      for (long written = 0; written < toWrite; written += MIB) {
        block.clear();
        ch.write(block);
      }
      ch.force(true);
    }
  }

  /** One SMTP conversation, command by command. */
  private static final class Dialog implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private Dialog(Socket socket) throws Exception {
      this.socket = socket;
      socket.setSoTimeout(60_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      out = socket.getOutputStream();
    }

    static Dialog open(InetSocketAddress server) throws Exception {
      Dialog d = new Dialog(new Socket(server.getAddress(), server.getPort()));
      d.reply();
      d.say("EHLO client.test");
      return d;
    }

    String say(String line) throws Exception {
      out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return reply();
    }

    /** Sends a body of about {@code octets} and the final dot; returns the reply to it. */
    String body(long octets) throws Exception {
      byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      out.write("Subject: large\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      for (long sent = 0; sent < octets; sent += line.length) {
        out.write(line);
      }
      out.write(".\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return reply();
    }

    private String reply() throws Exception {
      String line = in.readLine();
      while (line != null && line.length() > 3 && line.charAt(3) == '-') {
        line = in.readLine();
      }
      return line == null ? "" : line;
    }

    @Override
    public void close() throws Exception {
      out.write("QUIT\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.close();
    }
  }
}
