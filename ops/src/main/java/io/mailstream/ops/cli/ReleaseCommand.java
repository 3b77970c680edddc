package io.mailstream.ops.cli;

import picocli.CommandLine.Command;

/** {@code mailstream release}: Release held messages: they are attempted at once (postsuper -H). */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = "Release held messages: they are attempted at once (postsuper -H).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the order was given (the count may be 0)", "1:the node refused it (token, filter)",
        "2:bad usage, no selection, or no running node found"})
public final class ReleaseCommand extends QueueOrderCommand {
  @Override
  String verb() {
    return "release";
  }

  @Override
  String done() {
    return "released";
  }
}
