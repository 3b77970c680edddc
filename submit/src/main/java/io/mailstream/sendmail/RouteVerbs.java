package io.mailstream.sendmail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -bv}, {@code -bt} and {@code -bi}, which need the node's rules rather than its queue:
 * they run the {@code mailstream} command ({@code route}, the offline address test mode, and
 * {@code reload}), on the configuration this command was pointed at ({@code --config}, {@code -C}
 * or {@code MAILSTREAM_CONFIG}) with the node's hostname; other options the node was started with
 * on its command line are not known here. They are for people and scripts checking a
 * configuration, so the full JVM's start-up does not matter here.
 */
final class RouteVerbs {
  private final Path launcher;
  private final Node node;
  private final String config;

  RouteVerbs(Path home, Node node, String config) {
    this.launcher = home.resolve("mailstream");
    this.node = node;
    this.config = config;
  }

  /**
   * {@code -bv}: for each recipient, sendmail's {@code deliverable: mailer M, host H, user U} or
   * the error its routing ends in; EX_NOUSER if any is undeliverable.
   */
  int verify(List<String> recipients, PrintStream out) throws IOException, CommandFailure {
    if (recipients.isEmpty()) {
      throw new CommandFailure(Sysexits.EX_USAGE, "Recipient names must be specified");
    }
    List<String> args = route();
    args.addAll(recipients);
    Run r = run(args);
    int status = Sysexits.EX_OK;
    String address = null;
    for (String line : r.lines) {
      if (!line.startsWith(" ")) {
        address = line;
      } else if (line.startsWith("  mailer error")) {
        out.println(address + "... undeliverable: " + line.substring("  mailer error, ".length()));
        status = Sysexits.EX_NOUSER;
      } else if (line.startsWith("  mailer ")) {
        out.println(address + "... deliverable: " + line.substring(2));
      }
    }
    return r.status == 0 ? status : Sysexits.EX_CONFIG;
  }

  /**
   * {@code -bt}: reads sendmail's address test commands from {@code in}: {@code /parse ADDRESS}
   * and {@code /try MAILER ADDRESS} are answered by {@code mailstream route} (the delivery triple
   * and the four rewriting positions), {@code /map NAME KEY} by {@code mailstream route --map};
   * {@code /tryflags} is accepted (route shows every position); ruleset numbers are not, and say so.
   */
  int addressTest(InputStream in, PrintStream out, Report report) throws IOException {
    out.println("ADDRESS TEST MODE: answered by mailstream route (/parse ADDRESS, /try MAILER ADDRESS, /map NAME KEY)");
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int status = Sysexits.EX_OK;
    while ((line = lines.readLine()) != null) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      out.println("> " + t);
      String[] w = t.split("\\s+", 3);
      List<String> args = route();
      if (w[0].equals("/parse") && w.length >= 2) {
        args.add(t.substring("/parse".length()).strip());
      } else if (w[0].equals("/try") && w.length == 3) {
        args.add("--mailer");
        args.add(w[1]);
        args.add(w[2]);
      } else if (w[0].equals("/map") && w.length == 3) {
        args.add("--map");
        args.add(w[1]);
        args.add(w[2]);
      } else if (w[0].equals("/tryflags")) {
        continue;
      } else if (w[0].equals("/quit")) {
        break;
      } else {
        report.say("-bt: '" + t + "' is not supported; use /parse ADDRESS, /try MAILER ADDRESS or /map NAME KEY");
        status = Sysexits.EX_USAGE;
        continue;
      }
      Run r = run(args);
      for (String l : r.lines) {
        out.println(l);
      }
      if (r.status != 0) {
        status = Sysexits.EX_CONFIG;
      }
    }
    return status;
  }

  /**
   * {@code -bi} ({@code newaliases}): checks the aliases with the rest of the configuration and, on
   * a running node, loads them ({@code mailstream reload}: validated first, applied as a new
   * configuration version, the old one kept if anything is wrong). With the node down it only
   * checks them, and the node reads them when it starts.
   */
  int aliases(PrintStream out, Report report) throws IOException {
    boolean running = Files.exists(node.dataDir().resolve("mailstream.lock")) && Files.exists(node.socket());
    List<String> args = new ArrayList<>();
    args.add(launcher.toString());
    if (running) {
      args.add("reload");
      args.add("--data-dir");
      args.add(node.dataDir().toString());
    } else {
      args.addAll(route().subList(1, route().size()));
      args.add("postmaster");
    }
    Run r = run(args);
    if (r.status != 0) {
      for (String l : r.lines) {
        report.plain(l);
      }
      return Sysexits.EX_CONFIG;
    }
    out.println(running ? "aliases checked and loaded: " + String.join(" ", r.lines).strip()
        : "aliases checked (the node is not running; it reads them when it starts)");
    return Sysexits.EX_OK;
  }

  private List<String> route() {
    List<String> args = new ArrayList<>();
    args.add(launcher.toString());
    args.add("route");
    if (config != null) {
      args.add("--config");
      args.add(config);
    }
    // The node's $j, which its command line may have set: route answers for this node's class w.
    args.add("--hostname");
    args.add(node.hostname());
    return args;
  }

  /** The command's output (standard error with it) and exit status. */
  private record Run(List<String> lines, int status) {}

  private Run run(List<String> args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        if (!l.startsWith("mailstream: building")) {
          lines.add(l);
        }
      }
    }
    try {
      return new Run(lines, p.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
