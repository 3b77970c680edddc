package io.mailstream.ops.cli;

import picocli.CommandLine.Command;

/** {@code mailstream flush}: Attempt deferred messages now (sendmail -qR, postqueue -s, postqueue -i). */
@Command(name = "flush", mixinStandardHelpOptions = true,
    description = "Attempt deferred messages now (sendmail -qR, postqueue -s, postqueue -i).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the order was given (the count may be 0)", "1:the node refused it (token, filter)",
        "2:bad usage, no selection, or no running node found"})
public final class FlushCommand extends QueueOrderCommand {
  @Override
  String verb() {
    return "flush";
  }

  @Override
  String done() {
    return "flushed";
  }
}
