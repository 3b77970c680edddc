package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Many connections that hardly talk: every other one says nothing at all, the rest send a command
 * one octet at a time. Plain sockets without a thread each; the replies wait in their receive
 * buffers until {@link #assertGreetedAndAnswered} reads them.
 */
final class SlowClients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();

  private SlowClients() {}

  static SlowClients open(InetSocketAddress server, int n) throws IOException {
    SlowClients c = new SlowClients();
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        c.sockets.add(s);
        s.connect(server, 30_000);
      }
    } catch (IOException e) {
      c.close();
      throw new IOException("connection " + c.sockets.size() + " of " + n + " failed", e);
    }
    return c;
  }

  /** Sends {@code command} on every other connection, one octet per round, {@code pause} apart. */
  void trickle(String command, Duration pause) {
    byte[] bytes = command.getBytes(StandardCharsets.US_ASCII);
    try {
      for (byte b : bytes) {
        for (int i = 1; i < sockets.size(); i += 2) {
          sockets.get(i).getOutputStream().write(b);
        }
        LockSupport.parkNanos(pause.toNanos());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a slow client's connection broke", e);
    }
  }

  /**
   * Asserts that every connection got {@code banner} and is still open, and that those that
   * trickled got {@code reply} to their command.
   */
  void assertGreetedAndAnswered(String banner, String reply) throws IOException {
    for (int i = 0; i < sockets.size(); i++) {
      Socket s = sockets.get(i);
      s.setSoTimeout(30_000);
      String first = line(s.getInputStream());
      assertTrue(first.startsWith(banner), "connection " + i + " greeted: " + first);
      if (i % 2 == 1) {
        assertEquals(reply, line(s.getInputStream()), "connection " + i + " answered");
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // Closing is best effort; the node closes its side when it sees the end anyway.
      }
    }
  }
}
