package io.mailstream.sendmail;

import java.io.PrintStream;

/**
 * Where the command's messages go: standard error, prefixed with the name it was called by, as
 * sendmail prints them, or nowhere under {@code -oeq}.
 */
final class Report {
  private final String name;
  private final PrintStream err;
  private final boolean quiet;

  Report(String name, PrintStream err, boolean quiet) {
    this.name = name;
    this.err = err;
    this.quiet = quiet;
  }

  /** One line about this invocation. */
  void say(String line) {
    if (!quiet) {
      err.println(name + ": " + line);
    }
  }

  /** A line as sendmail prints a refused address: {@code bob@example.com... 550 5.1.1 ...}. */
  void plain(String line) {
    if (!quiet) {
      err.println(line);
    }
  }
}
