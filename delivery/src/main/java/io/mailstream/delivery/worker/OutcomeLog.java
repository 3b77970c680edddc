package io.mailstream.delivery.worker;

import io.mailstream.core.envelope.MailLog;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.RecipientResult;
import java.time.Duration;

/**
 * Writes sendmail's per-recipient line: {@code to=<...>, delay=, xdelay=, mailer=, relay=, dsn=,
 * stat=}. {@code stat=Sent (...)} and {@code stat=Deferred: ...} read exactly as sendmail's do, so
 * the usual greps find them.
 */
final class OutcomeLog {
  private OutcomeLog() {}

  static void log(RecipientRouted routed, RecipientResult r, String relay, long startedAt, long now) {
    MailLog.LOG.info("{}", line(routed, r, relay, startedAt, now));
  }

  /** The line as logged; {@code relay} is the host that answered (a backup host, when it did). */
  static String line(RecipientRouted routed, RecipientResult r, String relay, long startedAt, long now) {
    Duration delay = Duration.ofMillis(now - routed.message().acceptedAtMillis());
    Duration xdelay = Duration.ofMillis(now - startedAt);
    return routed.queueId()
        + ": to=" + r.recipient().address().bracketed()
        + ", delay=" + MailLog.delay(delay)
        + ", xdelay=" + MailLog.delay(xdelay)
        + ", mailer=" + routed.destination().mailer()
        + ", relay=" + relay
        + ", dsn=" + r.reply().dsn()
        + ", stat=" + stat(r);
  }

  static String stat(RecipientResult r) {
    ReplyRecord reply = r.reply();
    return switch (r.outcome()) {
      case DELIVERED -> "Sent (" + reply + ")";
      case DEFERRED -> "Deferred: " + reply;
      case BOUNCED -> reply.toString();
    };
  }
}
