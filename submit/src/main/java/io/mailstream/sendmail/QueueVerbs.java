package io.mailstream.sendmail;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * {@code -bp} ({@code mailq}) and {@code -q}, {@code -qR}, {@code -qI}: the node's queue, through
 * its admin endpoint ({@link NodeQueue}), and the messages this command holds in the local spool
 * while the node is down.
 *
 * <p>As sendmail, any local user may list the queue. Running the node's queue is an order that
 * needs the admin token, which only root and the node's user can read: another user's {@code -q}
 * sends their own spooled mail and then ends with EX_NOPERM, saying why (sendmail lets any user
 * run its queue unless {@code PrivacyOptions=restrictqrun}; here it is always restricted).
 */
final class QueueVerbs {
  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

  private QueueVerbs() {}

  /**
   * Lists the node's queue as the node renders it for {@code mailq}, then the spool as {@code
   * mailq} lists sendmail's client queue (when it holds anything, or the node's queue could not be
   * listed). EX_UNAVAILABLE when the node's queue could not be listed.
   */
  static int list(Spool spool, Node node, NodeQueue queue, PrintStream out, Report report) throws IOException {
    int status = Sysexits.EX_OK;
    try {
      NodeQueue.Answer a = queue.get("/queue?format=mailq");
      if (a.status() == 200) {
        out.print(a.body());
      } else {
        report.say("the node refused to list its queue: " + a.error() + " (HTTP " + a.status() + ")");
        status = Sysexits.EX_UNAVAILABLE;
      }
    } catch (NodeQueue.Unreachable e) {
      report.say("the node's queue cannot be listed: " + e.getMessage());
      status = Sysexits.EX_UNAVAILABLE;
    }
    List<Spool.Entry> entries = spool.list(true);
    if (!entries.isEmpty() || status != Sysexits.EX_OK) {
      listSpool(entries, node.spool(), out);
    }
    return status;
  }

  private static void listSpool(List<Spool.Entry> entries, Path spoolDir, PrintStream out) {
    out.println("\t\t" + spoolDir + " (" + entries.size() + (entries.size() == 1 ? " request)" : " requests)"));
    if (entries.isEmpty()) {
      out.println("\t\tMail queue is empty");
      return;
    }
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

  /**
   * Sends the spool now, then asks the node to attempt its deferred messages now: all of them
   * ({@code -q}), those with a recipient containing the text in any case ({@code -qR}), or those
   * whose queue id contains it ({@code -qI}), as sendmail limits a queue run. The node attempts
   * them in the background: unlike sendmail's {@code -q}, this does not wait for the attempts.
   * With {@code -v}, says how many messages and which.
   */
  static int run(Submitter submitter, NodeQueue queue, Invocation inv, Report report, PrintStream out) {
    String filter = inv.queueRecipient != null ? inv.queueRecipient : inv.queueId;
    int sent = submitter.flush(null, filter, true);
    if (sent < 0) {
      report.say("the node does not answer; spooled mail stays for later");
      return Sysexits.EX_TEMPFAIL;
    }
    String spooled = sent > 0 ? " (" + sent + " spooled message" + (sent == 1 ? "" : "s") + " sent)" : "";
    String token;
    try {
      token = queue.token();
    } catch (AccessDeniedException e) {
      report.say("only root and the node's user may run the node's queue: " + e.getFile() + " is not readable by "
          + LocalUser.current().name() + spooled);
      return Sysexits.EX_NOPERM;
    } catch (IOException e) {
      report.say("the node's queue cannot be run: cannot read its admin token (" + e.getMessage() + ")" + spooled);
      return Sysexits.EX_UNAVAILABLE;
    }
    // Given both, as sendmail takes -qR and -qI together: messages that match both.
    String limit = (inv.queueRecipient != null ? "recipient-contains=" + encode(inv.queueRecipient) + "&" : "")
        + (inv.queueId != null ? "id-contains=" + encode(inv.queueId) + "&" : "");
    limit = limit.isEmpty() ? "all=true" : limit.substring(0, limit.length() - 1);
    NodeQueue.Answer a;
    try {
      a = queue.post("/queue/flush?" + limit + "&user=" + encode("sendmail -q by " + LocalUser.current().name()), token);
    } catch (NodeQueue.Unreachable e) {
      report.say("the node's queue cannot be run: " + e.getMessage() + spooled);
      return Sysexits.EX_TEMPFAIL;
    }
    if (a.status() != 200) {
      report.say("the node refused to run its queue: " + a.error() + " (HTTP " + a.status() + ")" + spooled);
      return a.status() == 401 ? Sysexits.EX_NOPERM : Sysexits.EX_UNAVAILABLE;
    }
    if (inv.verbose) {
      int n = a.count();
      out.println(n + " deferred message" + (n == 1 ? "" : "s") + " to be attempted now"
          + (n == 0 ? "" : ": " + a.queueIds()) + spooled);
    }
    return Sysexits.EX_OK;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
