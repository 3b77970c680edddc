package io.mailstream.loadtest;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One blocking SMTP client connection. Commands go in lockstep (no PIPELINING), as with
 * {@code smtp-source}, so every reply round trip is part of the measurement.
 */
final class SmtpClientConnection implements Closeable {
  private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final LineReader in;
  private final OutputStream out;

  private SmtpClientConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new LineReader(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
  }

  /** Connects; the caller reads the greeting with {@link #readReply()}. */
  static SmtpClientConnection open(InetSocketAddress target, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      // Lockstep commands with Nagle's algorithm on would wait for delayed ACKs.
      socket.setTcpNoDelay(true);
      socket.connect(target, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      return new SmtpClientConnection(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends one command line and reads its reply. */
  ServerReply command(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return readReply();
  }

  /**
   * Sends the message and the end-of-data mark, and reads the reply. The body may stay in the
   * output buffer until the mark is written; the returned latency runs from handing the mark to
   * the socket until the last reply line arrived.
   */
  Timed<ServerReply> data(byte[] message) throws IOException {
    out.write(message);
    long start = System.nanoTime();
    out.write(END_OF_DATA);
    out.flush();
    ServerReply reply = readReply();
    return new Timed<>(reply, System.nanoTime() - start);
  }

  /** Reads one possibly multi-line reply (RFC 5321 4.2.1: "250-" continues, "250 " ends). */
  ServerReply readReply() throws IOException {
    while (true) {
      if (!in.next()) {
        throw new IOException("connection closed by server");
      }
      String line = in.text();
      if (line.length() < 3 || !isCode(line)) {
        throw new IOException("malformed reply: " + line);
      }
      if (line.length() == 3 || line.charAt(3) != '-') {
        return new ServerReply(Integer.parseInt(line.substring(0, 3)), line);
      }
    }
  }

  /** Sends QUIT and closes, ignoring a server that has already gone. */
  void quit() {
    try {
      command("QUIT");
    } catch (IOException ignored) {
      // The connection ends either way; a lost 221 does not change the measurement.
    }
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a socket that failed already has nothing left to report.
    }
  }

  private static boolean isCode(String line) {
    for (int i = 0; i < 3; i++) {
      if (line.charAt(i) < '0' || line.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** A value with the nanoseconds it took. */
  record Timed<T>(T value, long nanos) {}
}
