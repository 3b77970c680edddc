package io.mailstream.ops.cli;

import picocli.CommandLine.Command;

/** {@code mailstream requeue}: Route deferred messages again through the rules in force (postsuper -r). */
@Command(name = "requeue", mixinStandardHelpOptions = true,
    description = "Route deferred messages again through the rules in force (postsuper -r).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the order was given (the count may be 0)", "1:the node refused it (token, filter)",
        "2:bad usage, no selection, or no running node found"})
public final class RequeueCommand extends QueueOrderCommand {
  @Override
  String verb() {
    return "requeue";
  }

  @Override
  String done() {
    return "requeued";
  }
}
