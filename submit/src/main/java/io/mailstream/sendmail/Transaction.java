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

  /**
   * Runs the transaction on {@code node}, which has said hello: MAIL, every RCPT and DATA go out
   * in one write (RFC 2920; the node offers PIPELINING), which spares the round trips that would
   * otherwise be most of this command's time after the JVM's start.
   */
  static Result run(NodeConnection node, Envelope envelope, byte[] message) throws IOException {
    node.send(envelope.mail());
    for (String r : envelope.recipients()) {
      node.send(envelope.rcpt(r));
    }
    node.send("DATA");
    node.flush();
    List<String> failures = new ArrayList<>();
    Reply mail = node.read();
    int status = Sysexits.EX_OK;
    boolean transientOnly = true;
    if (!mail.isPositive()) {
      failures.add("<" + envelope.sender() + ">... " + mail.last());
      status = mail.exitStatus();
      transientOnly = mail.isTransient();
    }
    int accepted = 0;
    for (String r : envelope.recipients()) {
      Reply rcpt = node.read();
      if (rcpt.isPositive()) {
        accepted++;
      } else if (mail.isPositive()) {
        failures.add(r + "... " + rcpt.last());
        status = worse(status, rcpt.exitStatus());
        transientOnly &= rcpt.isTransient();
      }
    }
    Reply data = node.read();
    if (data.code() != 354) {
      node.command("RSET");
      if (mail.isPositive() && accepted > 0) {
        failures.add("message... " + data.last());
        return new Result(false, null, failures, worse(status, data.exitStatus()), transientOnly && data.isTransient());
      }
      return new Result(false, null, failures, status, transientOnly);
    }
    if (!mail.isPositive() || accepted == 0) {
      // RFC 2920 3.1: a 354 although nothing was accepted is answered with an empty message.
      node.content(new byte[0]);
      return new Result(false, null, failures, status, transientOnly);
    }
    Reply end = node.content(message);
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
