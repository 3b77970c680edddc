package io.mailstream.ops.cli;

import picocli.CommandLine.Command;

/** {@code mailstream delete}: Delete messages from the queue, without a delivery status notification (postsuper -d). */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete messages from the queue, without a delivery status notification (postsuper -d).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the order was given (the count may be 0)", "1:the node refused it (token, filter)",
        "2:bad usage, no selection, or no running node found"})
public final class DeleteCommand extends QueueOrderCommand {
  @Override
  String verb() {
    return "delete";
  }

  @Override
  String done() {
    return "deleted";
  }
}
