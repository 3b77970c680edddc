package io.mailstream.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailstream} command. */
@Command(
    name = "mailstream",
    mixinStandardHelpOptions = true,
    version = "Mailstream 0.1.0",
    description = "An event-sourced SMTP relay with a persistent Kafka queue.",
    subcommands = {StartCommand.class, RouteCommand.class, ImportSendmailCommand.class, ReloadCommand.class, PasswdCommand.class,
        MailqCommand.class, ShowCommand.class, HoldCommand.class, ReleaseCommand.class, DeleteCommand.class,
        FlushCommand.class, RequeueCommand.class, ReplayCommand.class, DeadLettersCommand.class})
public final class MailstreamCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new MailstreamCommand());
  }
}
