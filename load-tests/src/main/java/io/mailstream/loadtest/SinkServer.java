package io.mailstream.loadtest;

import io.mailstream.core.smtp.Reply;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * The counting sink's listener on 127.0.0.1: one thread per connection, which is plenty for a few
 * hundred concurrent relay connections and keeps the code a straight read of the SMTP dialogue.
 */
final class SinkServer implements Closeable {
  private static final int BACKLOG = 1024;
  private static final int READ_TIMEOUT_MILLIS = 300_000;

  private final ServerSocket listener;
  private final SinkCounters counters;
  private final Thread acceptor;
  private final java.io.Writer ids;
  private volatile boolean closed;

  /** Binds 127.0.0.1:{@code port} (0 picks a free port) and starts accepting. */
  SinkServer(int port, int rejectEvery) throws IOException {
    this(port, rejectEvery, null);
  }

  /**
   * A sink that also writes the Message-ID of every message it accepts to {@code idFile}, one a
   * line, flushed before the 250 goes out (so a copy the relay was told about is on the list).
   */
  SinkServer(int port, int rejectEvery, java.nio.file.Path idFile) throws IOException {
    this.ids = idFile == null ? null : java.nio.file.Files.newBufferedWriter(idFile, StandardCharsets.US_ASCII);
    this.counters = new SinkCounters(rejectEvery);
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
    this.acceptor = new Thread(this::acceptLoop, "sink-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  SinkCounters counters() {
    return counters;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    if (ids != null) {
      synchronized (ids) {
        ids.close();
      }
    }
  }

  private void acceptLoop() {
    int n = 0;
    while (!closed) {
      try {
        Socket socket = listener.accept();
        counters.connected();
        Thread t = new Thread(() -> serve(socket), "sink-conn-" + n++);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("sink: accept failed: " + e.getMessage());
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      LineReader in = new LineReader(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
      SinkSession session = new SinkSession(counters, "sink.mailstream.test");
      send(out, session.greeting(), true);
      while (true) {
        Reply reply;
        if (session.inData()) {
          String[] messageId = {"-"};
          long octets = readMessage(in, messageId);
          if (octets < 0) {
            return;
          }
          reply = session.endOfData(octets);
          if (ids != null && reply.isPositive()) {
            recordId(messageId[0]);
          }
        } else if (in.next()) {
          reply = session.on(in.text());
        } else {
          return;
        }
        // A pipelining client has sent more commands already; answer them in one write.
        send(out, reply, !in.hasBuffered() || reply.closesConnection());
        if (reply.closesConnection()) {
          return;
        }
      }
    } catch (SocketException e) {
      // A client that resets instead of sending QUIT is normal under load; nothing to count.
    } catch (IOException e) {
      System.err.println("sink: connection ended: " + e.getMessage());
    }
  }

  /**
   * Reads message lines up to the "." line; returns the octets with CRLFs, or -1 at EOF. The
   * Message-ID header, if any, goes into {@code messageId[0]}.
   */
  private static long readMessage(LineReader in, String[] messageId) throws IOException {
    long octets = 0;
    boolean header = true;
    while (in.next()) {
      if (in.isDot()) {
        return octets;
      }
      if (header) {
        if (in.length() == 0) {
          header = false;
        } else if (in.length() < 1000) {
          String line = in.text();
          if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
            messageId[0] = line.substring(11).strip();
          }
        }
      }
      octets += in.length() + 2;
    }
    return -1;
  }

  private void recordId(String messageId) throws IOException {
    synchronized (ids) {
      ids.write(messageId);
      ids.write('\n');
      ids.flush();
    }
  }

  private static void send(OutputStream out, Reply reply, boolean flush) throws IOException {
    out.write(reply.toWire().getBytes(StandardCharsets.US_ASCII));
    if (flush) {
      out.flush();
    }
  }
}
