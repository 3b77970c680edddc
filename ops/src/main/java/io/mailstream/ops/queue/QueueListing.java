package io.mailstream.ops.queue;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The queue in sendmail's {@code mailq} layout: a line per message (queue id, size, arrival,
 * sender), then a line per recipient with its state and last reply. A queue id is marked as Postfix
 * marks it: {@code !} held, {@code *} an attempt under way on the node that answered. Printed by
 * {@code mailstream mailq}, and by the node itself for {@code GET /queue?format=mailq}, which is
 * what {@code sendmail -bp} shows without parsing any JSON.
 */
public final class QueueListing {
  private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm", Locale.ROOT);
  private static final String INDENT = " ".repeat(42);

  private QueueListing() {}

  /** Prints {@code listing}. */
  public static void print(Views.Listing listing, PrintWriter out) {
    if (listing.count() == 0) {
      out.println("Mail queue is empty" + (listing.caughtUp() ? "" : " (this node is still reading the topics)"));
      return;
    }
    out.printf("\t\tMail queue (%d request%s)%s%n", listing.count(), listing.count() == 1 ? "" : "s",
        listing.caughtUp() ? "" : " (this node is still reading the topics: incomplete)");
    out.println("-----Q-ID----- --Size-- -----Q-Time----- ------------Sender/Recipient-----------");
    for (Views.Message m : listing.messages()) {
      String mark = m.held() ? "!" : m.delivering() ? "*" : "";
      out.printf("%-16s %7d %-16s <%s>%n", m.queueId() + mark, m.size(), time(m.arrivalMillis()),
          m.sender() == null ? "?" : m.sender());
      if (m.held() || m.deleted()) {
        out.println(INDENT + "(" + m.state() + ")");
      }
      for (Views.Recipient r : m.recipients()) {
        out.println(INDENT + "<" + r.address() + "> " + r.state()
            + (r.lastReply() == null ? "" : ": " + r.lastReply()));
        if (r.nextAttempt() != null) {
          out.println(INDENT + "  next attempt " + time(Instant.parse(r.nextAttempt()).toEpochMilli())
              + ", " + r.attempts() + " attempt" + (r.attempts() == 1 ? "" : "s") + " so far");
        }
      }
    }
    out.println("\t\tTotal requests: " + listing.count());
  }

  /** An arrival as the listing shows it: {@code Sat Dec 05 03:40}. */
  public static String time(long millis) {
    return millis <= 0 ? "?" : ARRIVAL.format(Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()));
  }
}
