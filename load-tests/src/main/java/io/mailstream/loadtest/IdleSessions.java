package io.mailstream.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Opens many SMTP sessions, says EHLO on each and then holds them idle: the clients that sit on a
 * relay's connections without sending (slow senders, idle pooled connections of other MTAs). One
 * thread and a selector, so ten thousand sessions cost this process little. It prints {@code HELD
 * n failed=m} once every session has had its EHLO answered (or failed), and on SIGTERM {@code IDLE
 * held=n open=k closed_by_server=c}: how many the server still had open at the end.
 */
@Command(name = "idle-sessions", mixinStandardHelpOptions = true,
    description = "Open SMTP sessions, send EHLO, and keep them idle.")
public final class IdleSessions implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "2525", description = "Port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--sessions", defaultValue = "10000", description = "Sessions to open (default ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--per-second", defaultValue = "2000", description = "Connections opened per second at most.")
  int perSecond;

  /** Where one session is: waiting for the greeting, for the EHLO reply, or idle. */
  private static final class Session {
    final StringBuilder line = new StringBuilder();
    boolean greeted;
    boolean held;
  }

  private int held;
  private int failed;
  private int closedByServer;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!java.net.InetAddress.getByName(host).isLoopbackAddress()) {
      System.err.println("idle-sessions: loopback targets only");
      return 2;
    }
    Selector selector = Selector.open();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("IDLE held=" + held + " open=" + (held - closedByServer) + " closed_by_server=" + closedByServer);
      System.out.flush();
    }));
    InetSocketAddress target = new InetSocketAddress(host, port);
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    byte[] ehlo = "EHLO idle.loadgen.test\r\n".getBytes(StandardCharsets.US_ASCII);
    int opened = 0;
    long started = System.nanoTime();
    boolean announced = false;
    while (true) {
      long allowed = Math.min(sessions, (System.nanoTime() - started) / 1_000_000L * perSecond / 1000 + 1);
      while (opened < allowed) {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(target);
        channel.register(selector, SelectionKey.OP_CONNECT, new Session());
        opened++;
      }
      if (!announced && opened == sessions && held + failed == sessions) {
        System.out.println("HELD " + held + " failed=" + failed);
        System.out.flush();
        announced = true;
      }
      selector.select(10);
      for (SelectionKey key : selector.selectedKeys()) {
        SocketChannel channel = (SocketChannel) key.channel();
        Session s = (Session) key.attachment();
        try {
          if (key.isConnectable()) {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            continue;
          }
          buffer.clear();
          int n = channel.read(buffer);
          if (n < 0) {
            throw new IOException("closed by server");
          }
          for (int i = 0; i < n; i++) {
            char c = (char) (buffer.get(i) & 0xff);
            if (c != '\n') {
              s.line.append(c);
              continue;
            }
            String line = s.line.toString();
            s.line.setLength(0);
            if (line.length() >= 4 && line.charAt(3) == '-') {
              continue; // a continuation line of a multi-line reply
            }
            if (!line.startsWith("2")) {
              throw new IOException("refused: " + line.strip());
            }
            if (!s.greeted) {
              s.greeted = true;
              channel.write(ByteBuffer.wrap(ehlo));
            } else if (!s.held) {
              s.held = true;
              held++;
            }
          }
        } catch (IOException e) {
          if (s.held) {
            closedByServer++;
          } else {
            failed++;
            if (failed <= 5) {
              System.err.println("idle-sessions: " + e.getMessage());
            }
          }
          key.cancel();
          channel.close();
        }
      }
      selector.selectedKeys().clear();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new IdleSessions()).execute(args));
  }
}
