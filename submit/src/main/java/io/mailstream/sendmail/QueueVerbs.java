package io.mailstream.sendmail;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * {@code -bp} ({@code mailq}) and {@code -q}, {@code -qR}, {@code -qI}, for what this command
 * holds: the messages waiting in the local spool. Listing and running the node's own queue belongs
 * to {@code mailstream mailq} and {@code mailstream flush}, which this version does not have yet:
 * after the spool, both say so and end with EX_UNAVAILABLE rather than pretend the queue is empty.
 */
final class QueueVerbs {
  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

  private QueueVerbs() {}

  /** Lists the spool as {@code mailq} lists sendmail's client queue. */
  static int list(Spool spool, Path spoolDir, PrintStream out, Report report) throws IOException {
    List<Spool.Entry> entries = spool.list(true);
    out.println("\t\t" + spoolDir + " (" + entries.size() + (entries.size() == 1 ? " request)" : " requests)"));
    if (entries.isEmpty()) {
      out.println("\t\tMail queue is empty");
    } else {
      out.println("-----Q-ID----- --Size-- -----Q-Time----- ------------Sender/Recipient-----------");
      for (Spool.Entry e : entries) {
        String id = e.file().getFileName().toString().replace(".msg", "");
        out.println(pad(id, 14) + " " + left(Integer.toString(e.message().length), 8) + " " + time(e.time()) + " "
            + (e.envelope().sender().isEmpty() ? "<>" : e.envelope().sender()));
        out.println("                 (node not reachable; spooled by " + e.user() + ")");
        for (String r : e.envelope().recipients()) {
          out.println("\t\t\t\t\t " + r);
        }
      }
      out.println("\t\tTotal requests: " + entries.size());
    }
    report.say("the node's queue cannot be listed: mailstream mailq is not available in this version");
    return Sysexits.EX_UNAVAILABLE;
  }

  /** Sends the spool now ({@code -qR}/{@code -qI}: only matching entries). */
  static int run(Submitter submitter, Invocation inv, Report report) {
    String filter = inv.queueRecipient != null ? inv.queueRecipient : inv.queueId;
    int sent = submitter.flush(null, filter, true);
    if (sent < 0) {
      report.say("the node does not answer; spooled mail stays for later");
      return Sysexits.EX_TEMPFAIL;
    }
    report.say("the node's queue cannot be run: mailstream flush is not available in this version"
        + (sent > 0 ? " (" + sent + " spooled message" + (sent == 1 ? "" : "s") + " sent)" : ""));
    return Sysexits.EX_UNAVAILABLE;
  }

  private static String time(long millis) {
    ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault());
    return DAYS[t.getDayOfWeek().getValue() - 1] + " " + MONTHS[t.getMonthValue() - 1] + " "
        + left(Integer.toString(t.getDayOfMonth()), 2) + " " + two(t.getHour()) + ":" + two(t.getMinute());
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  private static String pad(String s, int width) {
    StringBuilder b = new StringBuilder(s);
    while (b.length() < width) {
      b.append(' ');
    }
    return b.toString();
  }

  private static String left(String s, int width) {
    StringBuilder b = new StringBuilder();
    while (b.length() + s.length() < width) {
      b.append(' ');
    }
    return b.append(s).toString();
  }
}
