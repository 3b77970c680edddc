package io.mailstream.sendmail;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An SMTP session with the node over its local submission socket. The node serves the socket with
 * the same session as its SMTP listeners, so a message is checked and queued exactly as one
 * received over the network, and its {@code 250} comes only once the message is stored.
 */
final class NodeConnection implements AutoCloseable {
  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final PrintStream transcript;
  private boolean outputShut;

  private NodeConnection(SocketChannel channel, PrintStream transcript) {
    this.channel = channel;
    // Not Channels.newInputStream/newOutputStream: for a blocking socket channel both hold its
    // blocking lock for the whole call, so -bs, reading and writing on two threads, would wait
    // for ever.
    this.in = new BufferedInputStream(new ChannelIn(channel), 8192);
    this.out = new BufferedOutputStream(new ChannelOut(channel), 65536);
    this.transcript = transcript;
  }

  /**
   * Connects to {@code socket}.
   *
   * @param transcript where {@code -v} shows the dialogue, or null
   * @throws IOException when the node does not answer there (not running, no socket)
   */
  static NodeConnection open(Path socket, PrintStream transcript) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new NodeConnection(channel, transcript);
  }

  /** The greeting, then EHLO. */
  Reply hello() throws IOException {
    Reply greeting = read();
    if (!greeting.isPositive()) {
      return greeting;
    }
    return command("EHLO localhost");
  }

  /** Sends one command line and reads its reply. */
  Reply command(String line) throws IOException {
    send(line);
    out.flush();
    return read();
  }

  /**
   * Queues one command line without waiting for its reply (RFC 2920 pipelining: the node offers
   * it); {@link #read} takes the replies in order once the group is flushed.
   */
  void send(String line) throws IOException {
    if (transcript != null) {
      transcript.println(">>> " + line);
    }
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends what {@link #send} queued. */
  void flush() throws IOException {
    out.flush();
  }

  /**
   * After a {@code 354}: {@code message} (CRLF line ends) dot-stuffed (RFC 5321 4.5.2) and the
   * final dot, then its reply.
   */
  Reply content(byte[] message) throws IOException {
    boolean lineStart = true;
    for (byte b : message) {
      if (lineStart && b == '.') {
        out.write('.');
      }
      out.write(b);
      lineStart = b == '\n';
    }
    if (!lineStart) {
      out.write('\r');
      out.write('\n');
    }
    if (transcript != null) {
      transcript.println(">>> .");
    }
    out.write(new byte[] {'.', '\r', '\n'});
    out.flush();
    return read();
  }

  /** Copies raw octets to the node (for {@code -bs}). */
  void write(byte[] data, int length) throws IOException {
    out.write(data, 0, length);
    out.flush();
  }

  /** The node's side of the connection (for {@code -bs}). */
  InputStream input() {
    return in;
  }

  /** Reads one reply, all its lines. */
  Reply read() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = line();
      if (transcript != null) {
        transcript.println(line);
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        int code;
        try {
          code = Integer.parseInt(line.substring(0, Math.min(3, line.length())));
        } catch (NumberFormatException e) {
          throw new IOException("not an SMTP reply: " + line);
        }
        return new Reply(code, List.copyOf(lines));
      }
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("the node closed the connection");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** Says no more will be written (for {@code -bs}, at the end of its input). */
  void shutdownOutput() throws IOException {
    out.flush();
    channel.shutdownOutput();
    outputShut = true;
  }

  /** QUIT, then the socket is closed. */
  @Override
  public void close() {
    try {
      if (channel.isOpen() && channel.isConnected() && !outputShut) {
        out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // Closing anyway: the message, if any, is already answered.
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to do with it.
    }
  }

  private static final class ChannelIn extends InputStream {
    private final SocketChannel channel;

    ChannelIn(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
    }
  }

  private static final class ChannelOut extends OutputStream {
    private final SocketChannel channel;

    ChannelOut(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    }
  }
}
