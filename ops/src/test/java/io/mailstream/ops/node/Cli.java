package io.mailstream.ops.node;

import io.mailstream.ops.cli.MailstreamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a {@code mailstream} verb in this JVM and keeps what it printed. */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MailstreamCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  /** Runs and fails unless the verb exits 0. */
  static String ok(String... args) {
    Cli c = run(args);
    if (c.exit != 0) {
      throw new AssertionError("mailstream " + String.join(" ", args) + " exited " + c.exit + ": " + c.err + c.out);
    }
    return c.out;
  }
}
