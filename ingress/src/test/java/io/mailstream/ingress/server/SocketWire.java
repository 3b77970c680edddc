package io.mailstream.ingress.server;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain TCP client, bound to a chosen local address (all of 127/8 is loopback on Linux). */
final class SocketWire implements Wire {
  private final Socket socket = new Socket();
  private final InputStream in;

  SocketWire(InetSocketAddress server, InetAddress local) throws Exception {
    socket.bind(new InetSocketAddress(local, 0));
    socket.connect(server, 5000);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
  }

  @Override
  public void send(byte[] bytes) throws Exception {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  @Override
  public String readLine(Duration timeout) throws Exception {
    socket.setSoTimeout((int) timeout.toMillis());
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      int prev = -1;
      while (true) {
        int b = in.read();
        if (b < 0) {
          return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
        if (prev == '\r' && b == '\n') {
          byte[] bytes = line.toByteArray();
          return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
        }
        line.write(b);
        prev = b;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no reply within " + timeout + "; have '" + line + "'");
    }
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
