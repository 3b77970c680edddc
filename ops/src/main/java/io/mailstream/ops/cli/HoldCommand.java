package io.mailstream.ops.cli;

import picocli.CommandLine.Command;

/** {@code mailstream hold}: Hold messages: no attempt starts until they are released (postsuper -h). */
@Command(name = "hold", mixinStandardHelpOptions = true,
    description = "Hold messages: no attempt starts until they are released (postsuper -h).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the order was given (the count may be 0)", "1:the node refused it (token, filter)",
        "2:bad usage, no selection, or no running node found"})
public final class HoldCommand extends QueueOrderCommand {
  @Override
  String verb() {
    return "hold";
  }

  @Override
  String done() {
    return "held";
  }
}
