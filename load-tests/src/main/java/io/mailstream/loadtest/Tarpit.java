package io.mailstream.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A next hop that is down in the worst way: it accepts every connection on 127.0.0.1 and never
 * says a word, so a client only learns of it from its own time-outs (RFC 5321 4.5.3.2.1 gives the
 * greeting 5 minutes). The dead-host benchmark points one destination at it. It prints {@code
 * LISTENING 127.0.0.1:PORT} once it accepts and, on SIGTERM, {@code TARPIT connections=N}.
 */
@Command(name = "tarpit", mixinStandardHelpOptions = true,
    description = "Accept connections on 127.0.0.1 and never answer.")
public final class Tarpit implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "2540", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws IOException {
    AtomicLong connections = new AtomicLong();
    List<Socket> held = new CopyOnWriteArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("TARPIT connections=" + connections.get() + " open=" + held.size());
      System.out.flush();
    }));
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
      System.out.println("LISTENING 127.0.0.1:" + server.getLocalPort());
      System.out.flush();
      while (true) {
        Socket s = server.accept();
        connections.incrementAndGet();
        // Held, never read or written: the client's bytes stay in the socket buffer, as with a
        // host whose SMTP server hangs. Closed by the client or at exit.
        held.removeIf(Socket::isClosed);
        held.add(s);
      }
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Tarpit()).execute(args));
  }
}
