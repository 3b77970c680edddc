package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.testing.MemoryPublisher;
import io.mailstream.ingress.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to wear the server out, over real sockets: each gets the right replies, the
 * server keeps only what its limits allow, and a well-behaved client alongside is served as usual.
 */
class AbuseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void tenThousandRecipientsInOneSession() throws Exception {
    try (Server s = new Server(TestConfig.standard())) {
      SocketWire w = s.greeted("127.0.0.1");
      w.send(bytes("EHLO many.test\r\nMAIL FROM:<a@many.test>\r\n"));
      skipEhlo(w);
      assertEquals("250 2.1.0 Ok", w.readLine(WAIT));
      ByteArrayOutputStream rcpts = new ByteArrayOutputStream();
      for (int i = 0; i < 10_000; i++) {
        rcpts.writeBytes(bytes("RCPT TO:<r" + i + "@local.test>\r\n"));
      }
      // Written while the replies are read: neither side may wait for the other.
      CompletableFuture<Void> writing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  w.send(rcpts.toByteArray());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      int accepted = 0;
      int refused = 0;
      for (int i = 0; i < 10_000; i++) {
        String line = w.readLine(WAIT);
        if (line.equals("250 2.1.5 Ok")) {
          accepted++;
        } else {
          assertEquals("452 4.5.3 Too many recipients", line, "reply " + i);
          refused++;
        }
      }
      writing.join();
      // RFC 5321 4.5.3.1.8: the limit (100 by default) and no more are kept.
      assertEquals(100, accepted);
      assertEquals(9_900, refused);
      w.send(bytes("DATA\r\n"));
      assertEquals("354 End data with <CR><LF>.<CR><LF>", w.readLine(WAIT));
      w.send(bytes("Subject: many\r\n\r\nhi\r\n.\r\n"));
      assertTrue(w.readLine(WAIT).startsWith("250 2.0.0 "));
      assertEquals(100, s.publisher.next(WAIT).event().recipients().size());
      w.close();
    }
  }

  @Test
  void endlessHeadersAreRefusedBySizeAndTheSessionGoesOn() throws Exception {
    MailstreamConfig config = TestConfig.with(TestConfig.standard(), 100_000L, null, null, null);
    try (Server s = new Server(config)) {
      SocketWire w = s.greeted("127.0.0.1");
      w.send(bytes("EHLO headers.test\r\nMAIL FROM:<a@headers.test>\r\nRCPT TO:<r@local.test>\r\nDATA\r\n"));
      skipEhlo(w);
      assertEquals("250 2.1.0 Ok", w.readLine(WAIT));
      assertEquals("250 2.1.5 Ok", w.readLine(WAIT));
      assertEquals("354 End data with <CR><LF>.<CR><LF>", w.readLine(WAIT));
      // 2 MB of header fields and never a blank line, while another client is served.
      byte[] fields = bytes("X-Filler: " + "x".repeat(90) + "\r\n");
      for (int i = 0; i < 20_000; i++) {
        w.send(fields);
        if (i == 10_000) {
          try (SocketWire other = s.greeted("127.0.0.2")) {
            other.send(bytes("NOOP\r\n"));
            assertEquals("250 Ok", other.readLine(WAIT));
          }
        }
      }
      w.send(bytes(".\r\n"));
      assertEquals("552 5.3.4 Message size exceeds fixed maximum message size", w.readLine(WAIT));
      w.send(bytes("NOOP\r\n"));
      assertEquals("250 2.0.0 Ok", w.readLine(WAIT));
      w.close();
      assertEquals(null, s.publisher.poll());
    }
  }

  @Test
  void anEndlessCommandLineIsRefusedAndTheSessionGoesOn() throws Exception {
    try (Server s = new Server(TestConfig.standard())) {
      SocketWire w = s.greeted("127.0.0.1");
      byte[] chunk = bytes("A".repeat(64 * 1024));
      for (int i = 0; i < 32; i++) {
        w.send(chunk); // 2 MB without a line end
      }
      w.send(bytes("\r\nNOOP\r\n"));
      assertTrue(w.readLine(WAIT).startsWith("500 "));
      assertEquals("250 Ok", w.readLine(WAIT));
      w.close();
    }
  }

  @Test
  void aSlowClientDoesNotSlowOthers() throws Exception {
    try (Server s = new Server(TestConfig.standard())) {
      SocketWire slow = s.greeted("127.0.0.1");
      byte[] noop = bytes("NOOP\r\n");
      for (int i = 0; i < noop.length; i++) {
        slow.send(new byte[] {noop[i]});
        // Meanwhile another client does a whole transaction.
        if (i == 2) {
          try (SocketWire other = s.greeted("127.0.0.2")) {
            other.send(bytes("HELO other.test\r\nMAIL FROM:<a@other.test>\r\nRCPT TO:<r@local.test>\r\nDATA\r\n"));
            assertEquals("250 mx.test", other.readLine(WAIT));
            assertEquals("250 Ok", other.readLine(WAIT));
            assertEquals("250 Ok", other.readLine(WAIT));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", other.readLine(WAIT));
            other.send(bytes("Subject: x\r\n\r\nhi\r\n.\r\n"));
            assertTrue(other.readLine(WAIT).startsWith("250 "));
          }
        }
      }
      assertEquals("250 Ok", slow.readLine(WAIT));
      slow.close();
    }
  }

  private static void skipEhlo(SocketWire w) throws Exception {
    String line;
    do {
      line = w.readLine(WAIT);
    } while (!line.startsWith("250 "));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static final class Server implements AutoCloseable {
    final MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
    final IngressServer server;
    final InetSocketAddress address;

    Server(MailstreamConfig config) throws Exception {
      server = IngressServer.builder().config(config).publisher(publisher).build().start();
      address = server.boundAddresses().get(0);
    }

    SocketWire greeted(String from) throws Exception {
      SocketWire w = new SocketWire(address, InetAddress.getByName(from));
      assertEquals("220 mx.test ESMTP Mailstream", w.readLine(WAIT));
      return w;
    }

    @Override
    public void close() throws Exception {
      server.close();
      publisher.close();
    }
  }
}
