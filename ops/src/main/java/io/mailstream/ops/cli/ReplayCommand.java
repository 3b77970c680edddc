package io.mailstream.ops.cli;

import io.mailstream.ops.queue.Views;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
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

  @Override
  int run(NodeClient client) throws Exception {
    if (!selection.given()) {
      return fail(2, "say which messages: queue ids, --domain, --sender, --older-than, --newer-than, --state,"
          + " --destination, or --all");
    }
    String query = selection.query();
    query += (query.isEmpty() ? "?" : "&") + "user=" + URLEncoder.encode(System.getProperty("user.name", "admin"),
        StandardCharsets.UTF_8) + (dryRun ? "&dry-run=true" : "") + (force ? "&force=true" : "");
    HttpResponse<String> r = client.post("/queue/replay" + query);
    Answer<Views.ReplayResult> answer = answer(r, Views.ReplayResult.class, json);
    if (answer.value() == null) {
      return answer.exit();
    }
    Views.ReplayResult result = answer.value();
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
    return 0;
  }
}
