package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.ingress.testing.MemoryPublisher;
import io.mailstream.ingress.testing.TestConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that floods commands and never reads a reply (here after HELO, so PIPELINING was not
 * even offered) is no longer read once its replies back up: the server holds at most a channel's
 * high water mark of replies for it instead of one per command, and the flood stops at the socket
 * buffers. The idle time-out then ends the connection, although the 421 can never be written.
 */
class UnreadRepliesTest {
  /** Far more than loopback's socket buffers on both sides hold (tcp_rmem's maximum is 32 MiB here). */
  private static final long BURST = 96L * 1024 * 1024;

  @Test
  void aClientThatReadsNoRepliesIsNotReadAndTimesOut() throws Exception {
    MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
    IngressServer server =
        IngressServer.builder().config(TestConfig.standard()).publisher(publisher).idleTimeout(Duration.ofSeconds(3)).build().start();
    InetSocketAddress address = server.boundAddresses().get(0);
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(64 * 1024);
      s.connect(address, 10_000);
      AtomicLong written = new AtomicLong();
      CompletableFuture<IOException> ended = CompletableFuture.supplyAsync(() -> flood(s, written));

      // Without the pause the server would read on (ever slower, as its replies pile up) and the
      // reader-idle timer would never fire: the whole burst would go in.
      IOException why = ended.get(90, TimeUnit.SECONDS);
      assertTrue(why != null, "the server ended the connection; written " + written.get());
      assertTrue(written.get() < BURST, "the flood was held back at " + written.get() + " octets");

      // What it did read was answered in order, as a client that reads after all would see.
      s.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      assertEquals("220 mx.test ESMTP Mailstream", in.readLine());
      assertEquals("250 mx.test", in.readLine());
      assertEquals("250 Ok", in.readLine());
    } finally {
      server.close();
      publisher.close();
    }
  }

  /** Writes NOOPs until the burst is out (null) or the connection breaks (the exception). */
  private static IOException flood(Socket s, AtomicLong written) {
    byte[] chunk = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
    try {
      OutputStream out = s.getOutputStream();
      out.write("HELO flood.test\r\n".getBytes(StandardCharsets.US_ASCII));
      while (written.get() < BURST) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
      return null;
    } catch (IOException e) {
      return e;
    }
  }
}
