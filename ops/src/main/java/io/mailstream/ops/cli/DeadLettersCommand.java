package io.mailstream.ops.cli;

import io.mailstream.ops.queue.Views;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailstream dead-letters}: the records a stage could not process (damaged, from a newer
 * schema, or failing three times), with where they came from and why; {@code dead-letters replay}
 * writes them back once the cause is fixed.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List the records the stages could not process (the dead-letter topic), with source and reason.",
    subcommands = DeadLettersCommand.Replay.class,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:listed", "1:the node refused", "2:bad usage, or no running node found"})
public final class DeadLettersCommand extends QueueVerb {
  @Option(names = "--json", description = "print the node's JSON (GET /dead-letters)")
  boolean json;

  @Override
  int run(NodeClient client) throws Exception {
    Answer<Views.DeadLetterListing> answer = answer(client.get("/dead-letters"), Views.DeadLetterListing.class, json);
    if (answer.value() == null) {
      return answer.exit();
    }
    PrintWriter out = spec.commandLine().getOut();
    for (Views.DeadLetter d : answer.value().deadLetters()) {
      out.println(d.id() + " " + d.at() + " from " + d.source() + " key=" + d.key() + " " + d.size() + " octets"
          + (d.replayed() ? " (written back)" : ""));
      out.println("    " + d.reason());
    }
    out.println(answer.value().count() + " dead letter" + (answer.value().count() == 1 ? "" : "s"));
    out.flush();
    return 0;
  }

  /** {@code mailstream dead-letters replay}: writes dead letters back to the topic and partition they came from. */
  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Write dead letters back to where they came from, once each unless --force.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:written back (the count may be 0)", "1:the node refused (token)",
          "2:bad usage, no selection, or no running node found"})
  public static final class Replay extends QueueVerb {
    @picocli.CommandLine.Parameters(paramLabel = "ID", arity = "0..*", description = "dead letters, PARTITION@OFFSET as listed")
    java.util.List<String> ids = new java.util.ArrayList<>();

    @Option(names = "--all", description = "every dead letter")
    boolean all;

    @Option(names = "--force", description = "also those written back already")
    boolean force;

    @Option(names = "--json", description = "print the node's JSON answer")
    boolean json;

    @Override
    int run(NodeClient client) throws Exception {
      if (ids.isEmpty() && !all) {
        return fail(2, "say which dead letters: PARTITION@OFFSET as listed, or --all");
      }
      StringBuilder q = new StringBuilder("/dead-letters/replay?");
      ids.forEach(id -> q.append("id=").append(java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8))
          .append('&'));
      q.append(all ? "all=true&" : "").append(force ? "force=true" : "");
      HttpResponse<String> r = client.post(q.toString());
      Answer<Views.DeadLetterReplay> answer = answer(r, Views.DeadLetterReplay.class, json);
      if (answer.value() == null) {
        return answer.exit();
      }
      PrintWriter out = spec.commandLine().getOut();
      for (Views.Skipped s : answer.value().skipped()) {
        out.println(s.queueId() + " skipped: " + s.reason());
      }
      out.println(answer.value().count() + " dead letter" + (answer.value().count() == 1 ? "" : "s") + " written back"
          + (answer.value().count() == 0 ? "" : ": " + String.join(" ", answer.value().replayed())));
      out.flush();
      return 0;
    }
  }
}
