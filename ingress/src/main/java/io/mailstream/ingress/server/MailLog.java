package io.mailstream.ingress.server;

import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.session.DataResult;
import io.mailstream.ingress.session.Peer;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;

/** The ingress's mail log, one line per message or refusal, in sendmail's format. */
final class MailLog {
  private static final Logger LOG = io.mailstream.core.envelope.MailLog.LOG;

  private MailLog() {}

  /** {@code 6LM2aBc4Xy9QpR: from=<a@x>, size=1234, nrcpts=2, msgid=<..>, proto=ESMTP, relay=..} */
  static void accepted(MessageAccepted m, Peer peer) {
    LOG.info(
        "{}: from={}, size={}, nrcpts={}, msgid={}, proto={}, relay={}",
        m.queueId(),
        m.sender().bracketed(),
        m.body().size(),
        m.recipients().size(),
        m.messageId() == null ? "<none>" : m.messageId(),
        m.client().protocol(),
        peer.relay());
  }

  /**
   * {@code NOQUEUE: reject=550 5.7.1 Access denied, cmd=MAIL FROM:<a@b>, reason=access:3
   * From:b REJECT, relay=[192.0.2.1]}; the reason, when known, is the table entry or rule.
   */
  static void rejected(String queueId, String what, Reply reply, Peer peer, String reason) {
    LOG.info(
        "{}: reject={}, cmd={}{}, relay={}",
        queueId == null ? "NOQUEUE" : queueId,
        reply,
        printable(what),
        reason == null ? "" : ", reason=" + printable(reason),
        peer.relay());
  }

  /** {@code 6LM2aBc4Xy9QpR: from=<a@x>, nrcpts=1, stat=discarded, reason=access:4 ..., relay=..} */
  static void discarded(DataResult.Discarded d, Peer peer) {
    LOG.info(
        "{}: from={}, nrcpts={}, stat=discarded, reason={}, relay={}",
        d.queueId(),
        d.sender().bracketed(),
        d.recipients(),
        printable(d.reason()),
        peer.relay());
  }

  /** A message the client was told 451 about but which the queue took after all. */
  static void lateCommit(String queueId, Peer peer) {
    LOG.warn(
        "{}: committed after the accept deadline; the client was told 451 and its retry will be a"
            + " duplicate, relay={}",
        queueId,
        peer.relay());
  }

  /** {@code 6LM2aBc4Xy9QpR: reject=451 4.3.0 ..., cmd=end of DATA, reason=..., relay=[..]} */
  static void notCommitted(String queueId, Reply reply, Throwable cause, Peer peer) {
    Throwable root =
        cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
    LOG.warn(
        "{}: reject={}, cmd=end of DATA, reason={}, relay={}",
        queueId,
        reply,
        printable(String.valueOf(root)),
        peer.relay());
  }

  static void lostConnection(String queueId, String phase, Peer peer) {
    LOG.info(
        "{}: lost connection during {}, relay={}",
        queueId == null ? "NOQUEUE" : queueId,
        phase,
        peer.relay());
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && i < 200; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
