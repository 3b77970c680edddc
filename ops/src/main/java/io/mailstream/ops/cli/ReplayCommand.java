package io.mailstream.ops.cli;

import io.mailstream.ops.queue.Views;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mailstream replay}: re-drives mail from the event log, for instance everything accepted
 * for one domain in a window after its server lost mail, or everything bounced by a wrong
 * mailertable entry once it is fixed. Neither sendmail nor Postfix can: their queue forgets a
 * message once it is delivered or bounced.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Queue mail from the event log again: each selected message as a new message with the same",
        "bytes, a trace field naming the original, routed under the rules in force. Recipients already",
        "delivered (also by an earlier replay) are left out unless --force; recipients still queued always.",
        "A window older than the topics' retention is refused whole."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:replayed (or listed with --dry-run)", "1:refused (retention, unknown message, unreadable body, token)",
        "2:bad usage, no selection, or no running node found"})
public final class ReplayCommand extends QueueVerb {
  @Mixin QueueSelection selection;

  @Option(names = "--dry-run", description = "list what would be sent, send nothing")
  boolean dryRun;

  @Option(names = "--force", description = "send to recipients already delivered too")
  boolean force;

  @Option(names = "--json", description = "print the node's JSON answer")
  boolean json;

  @Option(names = "--progress", negatable = true,
      description = "replay in steps of 20 messages with a progress bar (default: when standard error is a terminal)")
  Boolean progress;

  private static final int STEP = 20;

  @Override
  int run(NodeClient client) throws Exception {
    if (!selection.given()) {
      return fail(2, "say which messages: queue ids, --domain, --sender, --older-than, --newer-than, --state,"
          + " --destination, or --all");
    }
    boolean bar = progress != null ? progress : System.console() != null;
    if (dryRun || json || !bar) {
      Answer<Views.ReplayResult> answer = answer(client.post(path(selection.query(), dryRun)), Views.ReplayResult.class, json);
      if (answer.value() != null) {
        print(answer.value());
      }
      return answer.exit();
    }
    // The plan first, so that a refusal (retention, unknown message) comes before anything is sent;
    // then the messages it names, a step at a time, with the same filters.
    Answer<Views.ReplayResult> plan = answer(client.post(path(selection.query(), true)), Views.ReplayResult.class, false);
    if (plan.value() == null) {
      return plan.exit();
    }
    List<String> ids = plan.value().replayed().stream().map(Views.Replayed::queueId).toList();
    List<Views.Replayed> done = new ArrayList<>();
    Set<Views.Skipped> skipped = new LinkedHashSet<>(plan.value().skipped());
    PrintWriter err = spec.commandLine().getErr();
    for (int from = 0; from < ids.size(); from += STEP) {
      bar(err, done.size(), ids.size());
      List<String> step = ids.subList(from, Math.min(ids.size(), from + STEP));
      Answer<Views.ReplayResult> r = answer(client.post(path(selection.query(step), false)), Views.ReplayResult.class, false);
      if (r.value() == null) {
        err.println("mailstream replay: stopped after " + done.size() + " of " + ids.size() + " messages (those are queued)");
        err.flush();
        return r.exit();
      }
      done.addAll(r.value().replayed());
      skipped.addAll(r.value().skipped());
    }
    bar(err, done.size(), ids.size());
    err.println();
    err.flush();
    int recipients = done.stream().mapToInt(m -> m.recipients().size()).sum();
    print(new Views.ReplayResult(false, done.size(), recipients, done, List.copyOf(skipped), plan.value().horizon()));
    return 0;
  }

  private String path(String query, boolean dry) {
    return "/queue/replay" + query + (query.isEmpty() ? "?" : "&") + "user="
        + URLEncoder.encode(System.getProperty("user.name", "admin"), StandardCharsets.UTF_8)
        + (dry ? "&dry-run=true" : "") + (force ? "&force=true" : "");
  }

  private static void bar(PrintWriter err, int done, int total) {
    int width = 40;
    int filled = total == 0 ? width : done * width / total;
    err.print("\rreplaying [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
    err.flush();
  }

  private void print(Views.ReplayResult result) {
    PrintWriter out = spec.commandLine().getOut();
    for (Views.Replayed m : result.replayed()) {
      out.println(m.queueId() + (m.newQueueId() == null ? "" : " -> " + m.newQueueId()) + ": <"
          + String.join(">, <", m.recipients()) + ">");
    }
    for (Views.Skipped s : result.skipped()) {
      out.println(s.queueId() + (s.recipient() == null ? "" : " <" + s.recipient() + ">") + " skipped: " + s.reason());
    }
    out.println((result.dryRun() ? "would replay " : "replayed ") + result.messages() + " message"
        + (result.messages() == 1 ? "" : "s") + " to " + result.recipients() + " recipient"
        + (result.recipients() == 1 ? "" : "s") + ", " + result.skipped().size() + " skipped"
        + (result.horizon() == null ? "" : "; the topics keep mail from " + result.horizon() + " on"));
    out.flush();
  }
}
