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
    Duration delay = Duration.ofMillis(now - routed.message().acceptedAtMillis());
    Duration xdelay = Duration.ofMillis(now - startedAt);
    MailLog.LOG.info(
        "{}: to={}, delay={}, xdelay={}, mailer={}, relay={}, dsn={}, stat={}",
        routed.queueId(),
        r.recipient().address().bracketed(),
        MailLog.delay(delay),
        MailLog.delay(xdelay),
        routed.destination().mailer(),
        relay,
        r.reply().dsn(),
        stat(r, routed.destination().isReroute()));
  }

  static String stat(RecipientResult r, boolean rerouted) {
    ReplyRecord reply = r.reply();
    return switch (r.outcome()) {
      case DELIVERED -> rerouted ? "Requeued for routing" : "Sent (" + reply + ")";
      case DEFERRED -> "Deferred: " + reply;
      case BOUNCED -> reply.toString();
    };
  }
}
