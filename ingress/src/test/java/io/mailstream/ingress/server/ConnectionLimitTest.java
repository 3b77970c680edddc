package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import io.mailstream.ingress.testing.MemoryPublisher;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connection limits over real sockets from several loopback addresses: a client over a limit
 * gets its 421 and the connection closes; clients from other addresses are not affected.
 */
class ConnectionLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void tooManyOpenFromOneAddressIsRefusedOthersAreNot() throws Exception {
    try (Server s = new Server("max-connections-per-ip 2")) {
      SocketWire a = s.greeted("127.0.0.1");
      SocketWire b = s.greeted("127.0.0.1");
      try (SocketWire c = s.connect("127.0.0.1")) {
        assertEquals("421 4.3.2 mx.test Too many open connections.", c.readLine(WAIT));
        assertNull(c.readLine(WAIT));
      }
      try (SocketWire other = s.greeted("127.0.0.2")) {
        transaction(other);
      }
      a.close();
      // The place is given back when the connection has ended on the server's side.
      SocketWire again = s.greetedEventually("127.0.0.1");
      again.close();
      b.close();
    }
  }

  @Test
  void tooManyInAllIsRefused() throws Exception {
    try (Server s = new Server("max-connections 3")) {
      List<SocketWire> open = new ArrayList<>();
      open.add(s.greeted("127.0.0.1"));
      open.add(s.greeted("127.0.0.2"));
      open.add(s.greeted("127.0.0.3"));
      try (SocketWire c = s.connect("127.0.0.4")) {
        assertEquals("421 4.3.2 mx.test Too many connections, try again later", c.readLine(WAIT));
        assertNull(c.readLine(WAIT));
      }
      transaction(open.get(1)); // the admitted ones go on
      for (SocketWire w : open) {
        w.close();
      }
    }
  }

  @Test
  void connectionRateIsPerAddressAndPerMinute() throws Exception {
    try (Server s = new Server("connection-rate-throttle 3")) {
      for (int i = 0; i < 3; i++) {
        try (SocketWire w = s.greeted("127.0.0.1")) {
          w.send("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
          assertEquals("221 Bye", w.readLine(WAIT));
        }
      }
      try (SocketWire w = s.connect("127.0.0.1")) {
        assertEquals("421 4.3.2 mx.test Connection rate limit exceeded.", w.readLine(WAIT));
        assertNull(w.readLine(WAIT));
      }
      try (SocketWire other = s.greeted("127.0.0.2")) {
        transaction(other);
      }
    }
  }

  @Test
  void aFloodGetsRepliesNotSilenceAndOthersAreServed() throws Exception {
    try (Server s = new Server("max-connections-per-ip 10", "connection-rate-throttle 100")) {
      List<SocketWire> flood = new ArrayList<>();
      int refused = 0;
      int greeted = 0;
      for (int i = 0; i < 150; i++) {
        SocketWire w = s.connect("127.0.0.5");
        flood.add(w);
        String line = w.readLine(WAIT);
        assertNotNull(line, "connection " + i + " closed without a reply");
        if (line.startsWith("220 ")) {
          greeted++;
        } else {
          assertTrue(line.startsWith("421 4.3.2 mx.test "), line);
          refused++;
          w.close();
        }
      }
      assertEquals(10, greeted);
      assertEquals(140, refused);
      try (SocketWire other = s.greeted("127.0.0.2")) {
        transaction(other);
      }
      for (SocketWire w : flood) {
        w.close();
      }
    }
  }

  @Test
  void accessClientConnAndClientRateEntriesOverrideTheSettingsPerClient(@TempDir Path tmp) throws Exception {
    // As Debian's /etc/mail/access writes them: loopback unlimited, a tag-only default for the rest.
    Path file = Files.writeString(tmp.resolve("access"),
        "ClientConn:127.0.0.1\t0\nClientConn:\t1\nClientRate:127.0.0.3\t1\n");
    AccessDb access = AccessDb.load(file);
    try (Server s = new Server(access, "max-connections-per-ip 50")) {
      List<SocketWire> open = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        open.add(s.greeted("127.0.0.1")); // ClientConn:127.0.0.1 0: no limit
      }
      SocketWire first = s.greeted("127.0.0.2");
      try (SocketWire second = s.connect("127.0.0.2")) { // the tag-only default: 1
        assertEquals("421 4.3.2 mx.test Too many open connections.", second.readLine(WAIT));
        assertNull(second.readLine(WAIT));
      }
      try (SocketWire w = s.greeted("127.0.0.3")) {
        w.send("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("221 Bye", w.readLine(WAIT));
      }
      try (SocketWire w = s.connect("127.0.0.3")) { // ClientRate:127.0.0.3 1 per minute
        assertEquals("421 4.3.2 mx.test Connection rate limit exceeded.", w.readLine(WAIT));
      }
      transaction(first);
      first.close();
      for (SocketWire w : open) {
        w.close();
      }
    }
  }

  private static void transaction(SocketWire w) throws Exception {
    w.send(("EHLO other.test\r\nMAIL FROM:<a@other.test>\r\nRCPT TO:<r@local.test>\r\nDATA\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    String line;
    do {
      line = w.readLine(WAIT);
    } while (!line.startsWith("250 "));
    assertEquals("250 2.1.0 Ok", w.readLine(WAIT));
    assertEquals("250 2.1.5 Ok", w.readLine(WAIT));
    assertEquals("354 End data with <CR><LF>.<CR><LF>", w.readLine(WAIT));
    w.send("Subject: x\r\n\r\nhi\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
    assertTrue(w.readLine(WAIT).startsWith("250 2.0.0 "));
  }

  /** A server with these smtp settings and a publisher that accepts everything. */
  private static final class Server implements AutoCloseable {
    final MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
    final IngressServer server;
    final InetSocketAddress address;

    Server(String... smtp) throws Exception {
      this(null, smtp);
    }

    Server(AccessDb access, String... smtp) throws Exception {
      MailstreamConfig config = TestConfig.withSmtp(TestConfig.standard(), List.of(smtp));
      server = IngressServer.builder().config(config).publisher(publisher).access(access).build().start();
      address = server.boundAddresses().get(0);
    }

    SocketWire connect(String from) throws Exception {
      return new SocketWire(address, InetAddress.getByName(from));
    }

    SocketWire greeted(String from) throws Exception {
      SocketWire w = connect(from);
      assertEquals("220 mx.test ESMTP Mailstream", w.readLine(WAIT));
      return w;
    }

    SocketWire greetedEventually(String from) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        SocketWire w = connect(from);
        String line = w.readLine(WAIT);
        if ("220 mx.test ESMTP Mailstream".equals(line)) {
          return w;
        }
        w.close();
        if (System.nanoTime() > deadline) {
          throw new AssertionError("still refused: " + line);
        }
        Thread.onSpinWait();
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
      publisher.close();
    }
  }
}
