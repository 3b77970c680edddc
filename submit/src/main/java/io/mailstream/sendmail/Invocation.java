package io.mailstream.sendmail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One command line, read as sendmail reads it (sendmail(8)): the mode ({@code -bm} by default,
 * {@code mailq} and {@code newaliases} by the name it was called by), the options programs pass,
 * and the recipients. Options sendmail itself ignores, or that only tune its own queue, are taken
 * quietly; options that would change what happens and that Mailstream cannot honour are refused,
 * so that nobody believes they took effect.
 */
final class Invocation {
  /** What the command is asked to do. */
  enum Mode {
    /** {@code -bm}: read a message and submit it. */
    DELIVER,
    /** {@code -bs}: SMTP on standard input and output. */
    SMTP,
    /** {@code -bv}: say where each recipient goes, send nothing. */
    VERIFY,
    /** {@code -bt}: address test mode. */
    ADDRESS_TEST,
    /** {@code -bp}, {@code mailq}: list the queue. */
    LIST_QUEUE,
    /** {@code -q}, {@code -qR}, {@code -qI}: run the queue. */
    RUN_QUEUE,
    /** {@code -bi}, {@code newaliases}: check and load the aliases. */
    ALIASES
  }

  /** sendmail's error modes ({@code -oe*}): print, quiet, mail back. */
  enum ErrorMode {
    PRINT,
    QUIET,
    MAIL
  }

  Mode mode = Mode.DELIVER;
  boolean recipientsFromHeaders;
  boolean dotIsData;
  String sender;
  String fullName;
  String notify;
  String ret;
  String envelopeId;
  String body;
  boolean verbose;
  ErrorMode errors = ErrorMode.PRINT;
  String queueRecipient;
  String queueId;
  String dataDir;
  String config;
  final List<String> recipients = new ArrayList<>();

  /**
   * Reads {@code args} as sendmail does; {@code name} is the name the command was called by
   * ({@code mailq} lists the queue, {@code newaliases} loads the aliases).
   *
   * @throws CommandFailure with EX_USAGE for an option that is unknown or lacks its value
   */
  static Invocation parse(String name, String[] args) throws CommandFailure {
    Invocation inv = new Invocation();
    if (name.equals("mailq")) {
      inv.mode = Mode.LIST_QUEUE;
    } else if (name.equals("newaliases")) {
      inv.mode = Mode.ALIASES;
    }
    Args a = new Args(args);
    while (a.hasNext()) {
      String arg = a.next();
      if (arg.equals("--")) {
        a.rest(inv.recipients);
        break;
      }
      if (!arg.startsWith("-") || arg.length() == 1) {
        inv.recipients.add(arg);
        continue;
      }
      inv.option(arg, a);
    }
    return inv;
  }

  private void option(String arg, Args a) throws CommandFailure {
    if (arg.startsWith("--")) {
      longOption(arg, a);
      return;
    }
    char c = arg.charAt(1);
    String rest = arg.substring(2);
    switch (c) {
      case 't' -> recipientsFromHeaders = true;
      case 'i' -> dotIsData = true;
      case 'v' -> verbose = true;
      case 'f', 'r' -> sender = a.value(arg, rest);
      case 'F' -> fullName = a.value(arg, rest);
      case 'N' -> notify = notify(a.value(arg, rest));
      case 'R' -> ret = ret(a.value(arg, rest));
      case 'V' -> envelopeId = a.value(arg, rest);
      case 'B' -> body = body(a.value(arg, rest));
      case 'b' -> mode(arg, rest);
      case 'q' -> queueRun(arg, rest, a);
      case 'o' -> shortOption(arg, rest);
      case 'O' -> longSetting(a.value(arg, rest));
      case 'C' -> config = a.value(arg, rest);
      // Ignored by sendmail itself or meaningful only to its own queue and daemon: -m (me too),
      // -n (no aliasing is not offered), -U (initial submission), -G (gateway), -e, -s, -c,
      // -x, -h N (hop count; the node counts Received fields), -L tag, -A m/c (submit.cf or
      // sendmail.cf), -D file (debug output), -p protocol.
      case 'm', 'n', 'U', 'G', 'e', 's', 'c', 'x' -> { }
      case 'h', 'L', 'A', 'D', 'p' -> a.value(arg, rest);
      default -> throw new CommandFailure(Sysexits.EX_USAGE, "unknown option " + arg);
    }
  }

  private void longOption(String arg, Args a) throws CommandFailure {
    int eq = arg.indexOf('=');
    String key = eq < 0 ? arg : arg.substring(0, eq);
    String value = eq < 0 ? null : arg.substring(eq + 1);
    switch (key) {
      case "--data-dir" -> dataDir = value != null ? value : a.value(arg, "");
      case "--config" -> config = value != null ? value : a.value(arg, "");
      default -> throw new CommandFailure(Sysexits.EX_USAGE, "unknown option " + arg);
    }
  }

  private void mode(String arg, String rest) throws CommandFailure {
    mode = switch (rest) {
      case "m" -> Mode.DELIVER;
      case "s" -> Mode.SMTP;
      case "v" -> Mode.VERIFY;
      case "t" -> Mode.ADDRESS_TEST;
      case "p" -> Mode.LIST_QUEUE;
      case "i" -> Mode.ALIASES;
      case "d", "D" -> throw new CommandFailure(Sysexits.EX_USAGE,
          arg + ": the daemon is the Mailstream node; run ./mailstream start");
      default -> throw new CommandFailure(Sysexits.EX_USAGE, "mode " + arg + " is not supported");
    };
  }

  private void queueRun(String arg, String rest, Args a) throws CommandFailure {
    mode = Mode.RUN_QUEUE;
    if (rest.startsWith("R")) {
      queueRecipient = a.value(arg, rest.substring(1));
    } else if (rest.startsWith("I")) {
      queueId = a.value(arg, rest.substring(1));
    } else if (!rest.isEmpty() && !Character.isDigit(rest.charAt(0))) {
      // -q15m is an interval for sendmail's daemon; -qf, -qS, -qp, ... are not offered.
      throw new CommandFailure(Sysexits.EX_USAGE, arg + " is not supported (use -q, -qR domain or -qI id)");
    }
  }

  // -o with one letter and a value: sendmail's old short options.
  private void shortOption(String arg, String rest) throws CommandFailure {
    if (rest.isEmpty()) {
      throw new CommandFailure(Sysexits.EX_USAGE, arg + ": option letter missing");
    }
    char letter = rest.charAt(0);
    String value = rest.substring(1);
    switch (letter) {
      case 'i' -> dotIsData = value.isEmpty() || !value.toLowerCase(Locale.ROOT).startsWith("f");
      case 'e' -> errors = errorMode(arg, value);
      // -om (me too), -od? (delivery mode: the node always queues first), -oQ (queue dir), -oL
      // (log level), -oT (timeouts), -oA (aliases file, the node's), -o8, -ob, -oc, -oh, -ox...
      default -> { }
    }
  }

  // -O Name=value: only IgnoreDots and ErrorMode change what this command does.
  private void longSetting(String setting) throws CommandFailure {
    int eq = setting.indexOf('=');
    String name = (eq < 0 ? setting : setting.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
    String value = eq < 0 ? "" : setting.substring(eq + 1).strip();
    if (name.equals("ignoredots")) {
      dotIsData = value.isEmpty() || !value.toLowerCase(Locale.ROOT).startsWith("f");
    } else if (name.equals("errormode")) {
      errors = errorMode("-O " + setting, value);
    }
  }

  private static ErrorMode errorMode(String arg, String value) throws CommandFailure {
    return switch (value) {
      case "p" -> ErrorMode.PRINT;
      case "q" -> ErrorMode.QUIET;
      // w (write to the terminal) and e (mail back, exit 0) are mail back here: no terminal
      // writing, and mail back always exits 0.
      case "m", "w", "e" -> ErrorMode.MAIL;
      default -> throw new CommandFailure(Sysexits.EX_USAGE, arg + ": error mode must be p, q, m, w or e");
    };
  }

  private static String notify(String value) throws CommandFailure {
    String v = value.strip().toUpperCase(Locale.ROOT);
    for (String part : v.split(",")) {
      if (!part.equals("NEVER") && !part.equals("SUCCESS") && !part.equals("FAILURE") && !part.equals("DELAY")) {
        throw new CommandFailure(Sysexits.EX_USAGE, "-N: expected never or a list of success, failure, delay: " + value);
      }
    }
    if (v.contains("NEVER") && !v.equals("NEVER")) {
      throw new CommandFailure(Sysexits.EX_USAGE, "-N: never goes alone: " + value);
    }
    return v;
  }

  private static String ret(String value) throws CommandFailure {
    String v = value.strip().toUpperCase(Locale.ROOT);
    if (!v.equals("HDRS") && !v.equals("FULL")) {
      throw new CommandFailure(Sysexits.EX_USAGE, "-R: expected hdrs or full: " + value);
    }
    return v;
  }

  private static String body(String value) throws CommandFailure {
    String v = value.strip().toUpperCase(Locale.ROOT);
    if (!v.equals("7BIT") && !v.equals("8BITMIME")) {
      throw new CommandFailure(Sysexits.EX_USAGE, "-B: expected 7bit or 8bitmime: " + value);
    }
    return v;
  }

  /** The arguments, with sendmail's rule for option values: glued on or the next argument. */
  private static final class Args {
    private final String[] args;
    private int next;

    Args(String[] args) {
      this.args = args;
    }

    boolean hasNext() {
      return next < args.length;
    }

    String next() {
      return args[next++];
    }

    String value(String option, String glued) throws CommandFailure {
      if (!glued.isEmpty()) {
        return glued;
      }
      if (!hasNext()) {
        throw new CommandFailure(Sysexits.EX_USAGE, "option " + option + " requires a value");
      }
      return next();
    }

    void rest(List<String> into) {
      while (hasNext()) {
        into.add(next());
      }
    }
  }
}
