package io.mailstream.sendmail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One message handed to the node: MAIL, a RCPT per recipient, DATA. As sendmail in its default
 * delivery mode, the message goes to the recipients that were accepted even when others were
 * refused; the refusals are reported, and the exit status is that of the worst of them.
 */
final class Transaction {
  /**
   * What became of the message.
   *
   * @param queued whether the node stored it (its {@code 250} after the final dot)
   * @param queueId the node's queue id when queued
   * @param failures one line per refusal: {@code address... reply}
   * @param status the sysexits status: EX_OK, or that of the worst refusal
   * @param transientOnly whether every refusal was temporary (the whole message may be spooled)
   */
  record Result(boolean queued, String queueId, List<String> failures, int status, boolean transientOnly) {}

  private Transaction() {}

  /** Runs the transaction on {@code node}, which has said hello. */
  static Result run(NodeConnection node, Envelope envelope, byte[] message) throws IOException {
    List<String> failures = new ArrayList<>();
    Reply mail = node.command(envelope.mail());
    if (!mail.isPositive()) {
      failures.add("<" + envelope.sender() + ">... " + mail.last());
      node.command("RSET");
      return new Result(false, null, failures, mail.exitStatus(), mail.isTransient());
    }
    int status = Sysexits.EX_OK;
    boolean transientOnly = true;
    int accepted = 0;
    for (String r : envelope.recipients()) {
      Reply rcpt = node.command(envelope.rcpt(r));
      if (rcpt.isPositive()) {
        accepted++;
      } else {
        failures.add(r + "... " + rcpt.last());
        status = worse(status, rcpt.exitStatus());
        transientOnly &= rcpt.isTransient();
      }
    }
    if (accepted == 0) {
      node.command("RSET");
      return new Result(false, null, failures, status, transientOnly);
    }
    Reply end = node.data(message);
    if (!end.isPositive()) {
      failures.add("message... " + end.last());
      return new Result(false, null, failures, worse(status, end.exitStatus()), transientOnly && end.isTransient());
    }
    return new Result(true, queueId(end), failures, status, transientOnly);
  }

  // EX_TEMPFAIL gives way to any permanent status: the caller must not just try again.
  private static int worse(int current, int next) {
    if (current == Sysexits.EX_OK || current == Sysexits.EX_TEMPFAIL) {
      return next;
    }
    return current;
  }

  // "250 2.0.0 6LM2t1aB9xQ Message accepted for delivery"
  private static String queueId(Reply end) {
    String text = end.last();
    int from = text.startsWith("250 2.") ? text.indexOf(' ', 4) + 1 : -1;
    int to = from > 0 ? text.indexOf(' ', from) : -1;
    return to > from ? text.substring(from, to) : null;
  }
}
