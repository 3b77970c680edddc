package io.mailstream.ingress.server;

import io.mailstream.ingress.session.Command;
import io.mailstream.ingress.session.SmtpSession;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * confBAD_RCPT_THROTTLE: once a transaction has had that many recipients refused, sendmail sleeps
 * a second before each further RCPT. Here the RCPT waits on a timer of the event loop instead, with
 * the client's input held back (pipelined commands wait their turn), so no other connection of the
 * loop is slowed down.
 */
final class RcptThrottle {
  private static final Logger LOG = io.mailstream.core.envelope.MailLog.LOG;

  private boolean replaying;

  /**
   * Whether {@code command} must wait; if so, {@code replay} carries it out after the delay, and
   * this returns false for it then.
   */
  boolean holds(
      ChannelHandlerContext ctx, SmtpSession session, InputGate gate, Command command, Runnable replay) {
    if (replaying) {
      replaying = false;
      return false;
    }
    Duration delay = session.delayBefore(command);
    if (delay.isZero()) {
      return false;
    }
    if (session.rcptFloodBegins()) {
      // srvrsmtp.c's words, logged once per transaction.
      LOG.info("NOQUEUE: {}: Possible SMTP RCPT flood, throttling.", session.peer().relay());
    }
    gate.pause(InputGate.Reason.THROTTLE);
    ctx.executor()
        .schedule(
            () -> {
              if (!ctx.channel().isActive() || session.phase() == SmtpSession.Phase.CLOSED) {
                return;
              }
              replaying = true;
              replay.run();
              replaying = false;
              gate.resume(InputGate.Reason.THROTTLE);
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
    return true;
  }
}
