package io.mailstream.ops.cli;

import io.mailstream.ops.queue.Views;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An order about queued messages ({@code hold}, {@code release}, {@code delete}, {@code flush},
 * {@code requeue}): sent to the node with its token, written by it to the control topic, obeyed by
 * every node. Prints how many messages it applies to, and those an attempt already under way on the
 * answering node will complete despite it.
 */
abstract class QueueOrderCommand extends QueueVerb {
  @Mixin QueueSelection selection;

  @Option(names = "--json", description = "print the node's JSON answer")
  boolean json;

  /** The endpoint's verb: {@code hold}. */
  abstract String verb();

  /** What the summary says was done: {@code held}. */
  abstract String done();

  @Override
  int run(NodeClient client) throws Exception {
    if (!selection.given()) {
      return fail(2, "say which messages: queue ids, --domain, --sender, --older-than, --newer-than, --state, or --all");
    }
    String user = System.getProperty("user.name", "admin");
    String query = selection.query();
    query += (query.isEmpty() ? "?" : "&") + "user=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> r = client.post("/queue/" + verb() + query);
    Answer<Views.OrderResult> answer = answer(r, Views.OrderResult.class, json);
    if (answer.value() == null) {
      return answer.exit();
    }
    Views.OrderResult result = answer.value();
    PrintWriter out = spec.commandLine().getOut();
    out.println(result.count() + " message" + (result.count() == 1 ? "" : "s") + " " + done()
        + (result.count() == 0 ? "" : ": " + String.join(" ", result.queueIds())));
    if (!result.delivering().isEmpty()) {
      out.println("an attempt already under way completes for " + String.join(" ", result.delivering())
          + " (a transaction past DATA cannot be taken back); every attempt that starts from now on obeys");
    }
    if (!result.applied()) {
      out.println("the order is written, but the node had not applied it yet when it answered");
    }
    out.flush();
    return 0;
  }
}
