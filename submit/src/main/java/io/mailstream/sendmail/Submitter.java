package io.mailstream.sendmail;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands messages to the node, and to the spool when the node cannot take them now: a node that
 * does not answer, or answers with a temporary refusal (a stage down, the disk below its floor),
 * leaves the message in the spool (or, with {@code submit.offline: tempfail}, fails with
 * EX_TEMPFAIL for the caller to keep it). Before a new message, whatever this user has spooled
 * goes first, so their mail keeps its order.
 */
final class Submitter {
  private final Node node;
  private final Spool spool;
  private final Report report;
  private final PrintStream transcript;

  Submitter(Node node, Spool spool, Report report, PrintStream transcript) {
    this.node = node;
    this.spool = spool;
    this.report = report;
    this.transcript = transcript;
  }

  /**
   * Submits one message, or spools it.
   *
   * @param mailBack whether permanent refusals are mailed to the sender instead of only printed
   * @return the exit status
   */
  int submit(Envelope envelope, byte[] message, String user, boolean mailBack) throws CommandFailure {
    NodeConnection c = connect();
    if (c == null) {
      return offline(envelope, message, user, "the node does not answer on " + node.socket());
    }
    try (c) {
      flush(c, null, false);
      Transaction.Result r = Transaction.run(c, envelope, message);
      if (r.queued() && transcript != null) {
        transcript.println("Sent (" + r.queueId() + " Message accepted for delivery)");
      }
      List<String> later = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      for (String f : r.failures()) {
        (isTransient(f) ? later : refused).add(f);
      }
      if (!later.isEmpty()) {
        // Recipients the node could not take now wait in the spool, as sendmail queues them.
        List<String> waiting = transientRecipients(envelope, later, refused);
        if (!waiting.isEmpty()) {
          Envelope rest = new Envelope(envelope.sender(), waiting, envelope.notifyOn(), envelope.ret(),
              envelope.envelopeId(), envelope.body());
          int status = offline(rest, message, user, later.get(0));
          if (refused.isEmpty()) {
            return status;
          }
        }
      }
      if (refused.isEmpty()) {
        return Sysexits.EX_OK;
      }
      for (String f : refused) {
        report.plain(f);
      }
      if (mailBack && !envelope.sender().isEmpty() && mailBack(c, envelope.sender(), refused, message)) {
        return Sysexits.EX_OK;
      }
      return r.status() == Sysexits.EX_TEMPFAIL ? Sysexits.EX_UNAVAILABLE : r.status();
    } catch (IOException e) {
      return offline(envelope, message, user, "the connection to the node failed: " + e.getMessage());
    }
  }

  /**
   * Submits what this user has spooled (with {@code everyone}, for root, what every user has), on
   * {@code c}, or on a connection of its own when null; those the node refuses permanently are
   * mailed back to their sender.
   *
   * @param filter only entries with a recipient or file name containing this text, or null
   * @return how many were sent; -1 when the node does not answer
   */
  int flush(NodeConnection c, String filter, boolean everyone) {
    List<Spool.Entry> entries;
    try {
      entries = spool.list(everyone);
    } catch (IOException e) {
      report.say("cannot read the spool: " + e.getMessage());
      return 0;
    }
    if (entries.isEmpty()) {
      return 0;
    }
    NodeConnection own = c == null ? connect() : null;
    NodeConnection conn = c != null ? c : own;
    if (conn == null) {
      return -1;
    }
    int sent = 0;
    try {
      for (Spool.Entry e : entries) {
        if (filter != null && !matches(e, filter)) {
          continue;
        }
        if (sendSpooled(conn, e)) {
          sent++;
        }
      }
    } catch (IOException x) {
      report.say("spooled mail stays for later: " + x.getMessage());
    } finally {
      if (own != null) {
        own.close();
      }
    }
    return sent;
  }

  private boolean sendSpooled(NodeConnection c, Spool.Entry e) throws IOException {
    FileLock lock = Spool.claim(e);
    if (lock == null) {
      return false;
    }
    try {
      Transaction.Result r = Transaction.run(c, e.envelope(), e.message());
      if (!r.queued() && r.transientOnly()) {
        return false; // the node still cannot take it: it stays
      }
      if (!r.failures().isEmpty() && !e.envelope().sender().isEmpty()) {
        // Nobody is there to read a printed error: the sender gets a notice, as from sendmail's queue.
        mailBack(c, e.envelope().sender(), r.failures(), e.message());
      }
      Files.delete(e.file());
      if (transcript != null) {
        transcript.println(e.file().getFileName() + ": sent from the spool" + (r.queued() ? " as " + r.queueId() : ""));
      }
      return r.queued();
    } finally {
      lock.channel().close();
    }
  }

  private boolean mailBack(NodeConnection c, String sender, List<String> failures, byte[] message) {
    try {
      Envelope notice = new Envelope("", List.of(sender), null, null, null, null);
      byte[] text = ErrorNotice.build(node.hostname(), sender, failures, message, SystemFacts.now());
      return Transaction.run(c, notice, text).queued();
    } catch (IOException e) {
      return false;
    }
  }

  private int offline(Envelope envelope, byte[] message, String user, String why) throws CommandFailure {
    if (!node.spoolWhenDown()) {
      report.say(why + "; not sent (submit.offline: tempfail), try again later");
      return Sysexits.EX_TEMPFAIL;
    }
    Path file = spool.put(envelope, user, message);
    if (transcript != null) {
      transcript.println(why + "; spooled as " + file + " for the next sendmail or sendmail -q");
    }
    return Sysexits.EX_OK;
  }

  private NodeConnection connect() {
    try {
      NodeConnection c = NodeConnection.open(node.socket(), transcript);
      Reply hello = c.hello();
      if (!hello.isPositive()) {
        c.close();
        return null;
      }
      return c;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isTransient(String failure) {
    int dots = failure.indexOf("... ");
    return dots >= 0 && failure.startsWith("4", dots + 4);
  }

  // The recipients whose RCPT got 4xx, or, when MAIL or DATA did, all but those refused for good.
  private static List<String> transientRecipients(Envelope envelope, List<String> later, List<String> refused) {
    List<String> out = new ArrayList<>();
    for (String f : later) {
      String who = f.substring(0, f.indexOf("... "));
      if (who.startsWith("<") || who.equals("message")) {
        List<String> all = new ArrayList<>(envelope.recipients());
        for (String r : refused) {
          all.remove(r.substring(0, r.indexOf("... ")));
        }
        return all;
      }
      out.add(who);
    }
    return out;
  }

  private static boolean matches(Spool.Entry e, String filter) {
    if (e.file().getFileName().toString().contains(filter)) {
      return true;
    }
    for (String r : e.envelope().recipients()) {
      if (r.toLowerCase(java.util.Locale.ROOT).contains(filter.toLowerCase(java.util.Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
