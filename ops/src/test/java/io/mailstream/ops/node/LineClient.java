package io.mailstream.ops.node;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw SMTP client on a real socket that sends exactly what it is told, well-formed or not, and
 * reads replies line by line, for tests of what the ingress answers to misbehaving clients.
 */
final class LineClient implements AutoCloseable {
  private final Socket socket = new Socket();
  private final InputStream in;
  private final OutputStream out;

  LineClient(InetSocketAddress server) throws Exception {
    socket.connect(server, 10_000);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  Socket socket() {
    return socket;
  }

  /** Sends these lines, each ended by CRLF, in one write. */
  void send(String... lines) throws Exception {
    StringBuilder b = new StringBuilder();
    for (String line : lines) {
      b.append(line).append("\r\n");
    }
    write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  void write(byte[] bytes) throws Exception {
    out.write(bytes);
    out.flush();
  }

  /** One reply line, without its CRLF; null when the server closed the connection. */
  String line(Duration timeout) throws Exception {
    socket.setSoTimeout((int) timeout.toMillis());
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        }
        line.write(b);
      }
      return null;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no reply within " + timeout + "; have '" + line + "'");
    }
  }

  /** The last line of one (possibly multi-line) reply; null when the server closed. */
  String reply(Duration timeout) throws Exception {
    String line = line(timeout);
    while (line != null && line.length() > 3 && line.charAt(3) == '-') {
      line = line(timeout);
    }
    return line;
  }

  /** The last lines of the next {@code n} replies. */
  List<String> replies(int n, Duration timeout) throws Exception {
    List<String> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(reply(timeout));
    }
    return all;
  }

  /** Ends the connection at once with a TCP reset instead of a FIN, as a crashed client's kernel might. */
  void reset() throws Exception {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
