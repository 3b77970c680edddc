package io.mailstream.loadtest;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An SMTP server on 127.0.0.1 that accepts everything and counts messages and connections: the
 * next hop of a relay under test. With {@code --expect N} it prints its figures and exits once N
 * messages arrived (status 0), or when the timeout or the idle limit ends the wait first (status 1).
 * Without it, it runs until stopped and prints on SIGTERM/SIGINT.
 *
 * <p>It prints {@code LISTENING 127.0.0.1:PORT} once it accepts connections, so scripts can wait
 * for that line instead of probing the port (a probe would count as a connection). The figures are
 * the program's output and go to standard output; the last line is {@code SINK key=value ...}.
 */
@Command(
    name = "counting-sink",
    mixinStandardHelpOptions = true,
    description = "SMTP sink on 127.0.0.1 that accepts and counts every message.")
public final class CountingSink implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "2526", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 = any).")
  int port;

  @Option(names = "--expect", defaultValue = "0", description = "Print and exit after this many messages (0 = run until stopped).")
  long expect;

  @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for --expect messages.")
  long timeoutSeconds;

  @Option(names = "--idle-timeout", defaultValue = "0", description = "Give up this many seconds after the last message (0 = never).")
  long idleSeconds;

  @Option(names = "--reject-every", defaultValue = "0", description = "Reject every K-th message with 550 5.7.1 (0 = none).")
  int rejectEvery;

  @Option(names = "--ids", description = "Write the Message-ID of every accepted message to this file, one a line"
      + " (see FaultCheck).")
  java.nio.file.Path ids;

  @Override
  public Integer call() throws Exception {
    AtomicBoolean printed = new AtomicBoolean();
    try (SinkServer server = new SinkServer(port, rejectEvery, ids)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> print(server, printed)));
      System.out.println("LISTENING 127.0.0.1:" + server.port());
      System.out.flush();
      if (expect <= 0) {
        new CountDownLatch(1).await();
      }
      boolean reached = server.counters().await(expect,
          Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(idleSeconds));
      if (!reached) {
        System.err.printf("WARNING: sink stopped waiting with %d of %d messages%n",
            server.counters().snapshot().messages(), expect);
      }
      print(server, printed);
      return reached ? 0 : 1;
    }
  }

  private static void print(SinkServer server, AtomicBoolean printed) {
    if (printed.compareAndSet(false, true)) {
      System.out.print(server.counters().snapshot().render());
      System.out.flush();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CountingSink()).execute(args));
  }
}
