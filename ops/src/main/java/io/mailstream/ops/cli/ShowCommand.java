package io.mailstream.ops.cli;

import io.mailstream.ops.queue.Views;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailstream show ID}: one message's envelope, header section and event history (Postfix's {@code postcat -q}). */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show one message: envelope, recipients, header section and event history (postcat -q).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:shown", "1:no such message", "2:bad usage, or no running node found"})
public final class ShowCommand extends QueueVerb {
  @Parameters(paramLabel = "ID", description = "the queue id")
  String id;

  @Option(names = "--json", description = "print the node's JSON (GET /queue/message/ID)")
  boolean json;

  @Override
  int run(NodeClient client) throws Exception {
    HttpResponse<String> r = client.get("/queue/message/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    Answer<Views.Detail> answer = answer(r, Views.Detail.class, json);
    if (answer.value() == null) {
      return answer.exit();
    }
    Views.Detail d = answer.value();
    PrintWriter out = spec.commandLine().getOut();
    Views.Message m = d.message();
    out.println("Queue id:    " + m.queueId() + (m.delivering() ? " (an attempt is under way)" : ""));
    out.println("State:       " + m.state());
    out.println("Size:        " + m.size() + " octets");
    out.println("Arrival:     " + m.arrival());
    out.println("Sender:      <" + m.sender() + ">");
    out.println("Client:      " + m.client());
    out.println("Message-ID:  " + m.messageId());
    out.println("Recipients:");
    for (Views.Recipient rcpt : m.recipients()) {
      out.println("  <" + rcpt.address() + "> " + rcpt.state()
          + (rcpt.destination() == null ? "" : " via " + rcpt.destination())
          + (rcpt.attempts() > 0 ? ", " + rcpt.attempts() + " attempt(s)" : "")
          + (rcpt.nextAttempt() == null ? "" : ", next " + rcpt.nextAttempt())
          + (rcpt.lastReply() == null ? "" : ", last reply: " + rcpt.lastReply()));
    }
    out.println("Header section:");
    String headers = d.headers() == null ? "(not read yet)\r\n" : d.headers();
    headers.lines().forEach(line -> out.println("  " + line));
    out.println("History:");
    for (Views.History h : d.history()) {
      out.printf("  %-24s %-10s %s%s%n", h.at(), h.event(), h.recipient() == null ? "" : "<" + h.recipient() + "> ", h.text());
    }
    out.flush();
    return 0;
  }
}
