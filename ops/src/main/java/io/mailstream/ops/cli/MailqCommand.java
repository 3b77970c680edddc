package io.mailstream.ops.cli;

import io.mailstream.ops.queue.QueueListing;
import io.mailstream.ops.queue.Views;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mailstream mailq}: the queue as sendmail's {@code mailq} ({@code sendmail -bp}) and
 * Postfix's {@code mailq} show it, for the whole cluster, from any node.
 */
@Command(name = "mailq", mixinStandardHelpOptions = true,
    description = {"List the queued messages (sendmail -bp, Postfix mailq): queue id, size, arrival, sender,",
        "and each recipient with its state and last reply. ! marks a held message, * one being delivered."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:listed", "1:the node refused the filter", "2:bad usage, or no running node found"})
public final class MailqCommand extends QueueVerb {
  @Mixin QueueSelection selection;

  @Option(names = "--json", description = "print the node's JSON (GET /queue) instead of the listing")
  boolean json;

  @Override
  int run(NodeClient client) throws Exception {
    HttpResponse<String> r = client.get("/queue" + selection.query());
    Answer<Views.Listing> answer = answer(r, Views.Listing.class, json);
    if (answer.value() == null) {
      return answer.exit();
    }
    Views.Listing listing = answer.value();
    PrintWriter out = spec.commandLine().getOut();
    QueueListing.print(listing, out);
    out.flush();
    return 0;
  }
}
