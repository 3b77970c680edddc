package io.mailstream.loadtest;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends N messages over C concurrent SMTP connections and reports accept rate and the latency from
 * the end-of-data mark to its 2xx reply. The report is the program's output, so it goes to standard
 * output rather than a logger; the last line is {@code RESULT key=value ...} for scripts.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description = "SMTP load generator: N messages of S octets over C connections to HOST:PORT.")
public final class LoadGenerator implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "2525", description = "Port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = {"-n", "--messages"}, defaultValue = "1000", description = "Messages to send.")
  int messages;

  @Option(names = {"-c", "--connections"}, defaultValue = "10", description = "Concurrent connections.")
  int connections;

  @Option(names = {"-s", "--size"}, defaultValue = "4096", description = "Message size in octets, headers included.")
  int size;

  @Option(names = {"-r", "--recipients"}, defaultValue = "1", description = "Recipients per message.")
  int recipients;

  @Option(names = "--from", defaultValue = "a@x.test", description = "Envelope sender.")
  String from;

  @Option(names = "--to-domain", defaultValue = "y.test", description = "Recipients are r<i>@DOMAIN.")
  String toDomain;

  @Option(names = "--reuse", description = "Send many messages per connection (default: a new connection per message, like smtp-source).")
  boolean reuse;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for any reply.")
  int timeoutSeconds;

  @Option(names = "--helo", defaultValue = "loadgen.mailstream.test", description = "EHLO name.")
  String helo;

  @Option(names = "--timeseries", description = "Also write the run second by second (CSV: accepted, accept latency p50/p99/max) to this file.")
  Path timeseries;

  @Option(names = "--while-pid", description = "Stop sending (before --messages) once process PID has ended: a probe beside another generator.")
  Long whilePid;

  @Option(names = "--while-pid-file", description = "Print READY, wait until FILE holds a process id, then send while that process runs"
      + " (so that JVM start-up does not eat into a short run).")
  Path whilePidFile;

  @Option(names = "--allow-remote", description = "Allow a target that is not a loopback address.")
  boolean allowRemote;

  @Option(names = "--run-id", description = "Put this id in every Message-ID (default: the start time); give each"
      + " generator of one test its own.")
  String runId = Long.toString(System.currentTimeMillis(), 36);

  @Option(names = "--outcomes", description = "Write what the client learned about each message to this file:"
      + " <message-id> ACK|REFUSED_PERM|NOT_HANDED_OVER|TEMP_AFTER_DOT|LOST_AFTER_DOT|NOT_SENT <reply> (see FaultCheck).")
  Path outcomes;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress target = target();
    if (whilePidFile != null) {
      whilePid = awaitPid(whilePidFile);
    }
    LoadSettings settings =
        new LoadSettings(target, messages, connections, size, recipients, from, toDomain, reuse,
            Duration.ofSeconds(timeoutSeconds), helo);
    LoadRun run = new LoadRun(settings, keepGoing(), runId);
    LoadReport report = run.run();
    if (outcomes != null) {
      run.outcomes().write(outcomes);
    }
    PrintStream out = System.out;
    out.print(report.render(settings));
    out.flush();
    if (timeseries != null) {
      Files.writeString(timeseries, report.timeSeries().toCsv(), StandardCharsets.US_ASCII);
    }
    return report.accepted() == report.sent() ? 0 : 1;
  }

  private static long awaitPid(Path file) throws InterruptedException, java.io.IOException {
    System.out.println("READY");
    System.out.flush();
    while (true) {
      if (Files.exists(file)) {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        // The writer renames a complete file into place, so a present file is a whole number.
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
          return Long.parseLong(text);
        }
      }
      Thread.sleep(5); // Waiting for another program's start: there is no event to wait on.
    }
  }

  private BooleanSupplier keepGoing() {
    if (whilePid == null) {
      return () -> true;
    }
    Optional<ProcessHandle> other = ProcessHandle.of(whilePid);
    return () -> other.map(ProcessHandle::isAlive).orElse(false);
  }

  // A load generator pointed at the wrong host is a flood; loopback only unless asked explicitly.
  private InetSocketAddress target() throws UnknownHostException {
    InetAddress address = InetAddress.getByName(host);
    if (!address.isLoopbackAddress() && !allowRemote) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), host + " is not a loopback address; add --allow-remote to insist");
    }
    return new InetSocketAddress(address, port);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGenerator()).execute(args));
  }
}
