package io.mailstream.ops.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that says HELO (so PIPELINING was never offered) and then writes NOOPs as fast as it
 * can without reading a single reply. The ingress stops reading it once its replies back up
 * (UnreadRepliesTest in the ingress shows that part); here it runs beside other clients.
 */
final class CommandFlood {
  private CommandFlood() {}

  /** Floods for {@code duration}, then reads the first three replies and closes. */
  static FloodResult withoutPipelining(InetSocketAddress server, Duration duration) {
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(64 * 1024);
      s.connect(server, 30_000);
      s.setSoTimeout(30_000);
      AtomicLong written = new AtomicLong();
      Thread writer = new Thread(() -> write(s, written), "command-flood");
      writer.setDaemon(true);
      writer.start();
      LockSupport.parkNanos(duration.toNanos());
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      List<String> first = new ArrayList<>();
      first.add(in.readLine().substring(0, 3));
      first.add(in.readLine().substring(0, 3));
      first.add(in.readLine());
      return new FloodResult(written.get(), first);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Socket s, AtomicLong written) {
    byte[] chunk = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
    try {
      OutputStream out = s.getOutputStream();
      out.write("HELO flood.test\r\n".getBytes(StandardCharsets.US_ASCII));
      while (true) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
    } catch (IOException e) {
      // Closed at the flood's end: the count says how far it got.
    }
  }
}
