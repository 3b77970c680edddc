package io.mailstream.ingress.server;

import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.session.DataResult;
import io.mailstream.ingress.session.Peer;
import io.mailstream.ingress.session.TlsInfo;
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

  /**
   * {@code 6LM2aBc4Xy9QpR: timeout waiting for input during message collect, reject=421 4.4.2 ...,
   * relay=[..]}: sendmail's words for a client silent past {@code smtp.command-timeout}, between
   * commands ({@code server cmd read}) or within a message ({@code message collect}).
   */
  static void timedOut(String queueId, String during, Reply reply, Peer peer) {
    LOG.info(
        "{}: timeout waiting for input during {}, reject={}, relay={}",
        queueId == null ? "NOQUEUE" : queueId,
        during,
        reply,
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

  /**
   * sendmail's lines: {@code AUTH=server, relay=[..], authid=alice, mech=PLAIN, bits=0} on
   * success, {@code AUTH failure (PLAIN): authentication failure, authid=.., relay=[..]} otherwise
   * (what fail2ban's sendmail-auth filter looks for).
   */
  static void auth(String user, String mechanism, Reply reply, Peer peer) {
    if (reply.isPositive()) {
      LOG.info("AUTH=server, relay={}, authid={}, mech={}, bits=0", peer.relay(), printable(user), mechanism);
    } else {
      LOG.warn(
          "AUTH failure ({}): authentication failure, authid={}, reply={}, relay={}",
          mechanism, printable(user), reply, peer.relay());
    }
  }

  /** {@code STARTTLS=server, relay=[..], version=TLSv1.3, verify=NO, cipher=.., bits=256/256} */
  static void tlsStarted(TlsInfo tls, Peer peer) {
    LOG.info(
        "STARTTLS=server, relay={}, version={}, verify=NO, cipher={}, bits={}/{}",
        peer.relay(), tls.version(), tls.cipher(), tls.bits(), tls.bits());
  }

  /** {@code STARTTLS=server, error: accept failed=.., relay=[..]} */
  static void tlsFailed(Peer peer, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    LOG.info(
        "STARTTLS=server, error: accept failed={}, relay={}",
        printable(String.valueOf(root.getMessage())), peer.relay());
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
