package io.mailstream.delivery.worker;

import io.mailstream.core.envelope.MailLog;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.RecipientResult;
import java.time.Duration;

/**
 * Writes sendmail's per-recipient line: {@code to=<...>, [orig_to=<...>,] delay=, xdelay=,
 * mailer=, relay=, dsn=, stat=}. {@code stat=Sent (...)} and {@code stat=Deferred: ...} read
 * exactly as sendmail's do, so the usual greps find them. {@code orig_to} is the address the client
 * gave when aliases, the virtusertable or the domaintable made another of it (the router keeps it
 * as the RFC 3461 ORCPT), so {@code grep 'orig_to=<postmaster@'} finds mail delivered to root.
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
        + origTo(r.recipient())
        + ", delay=" + MailLog.delay(delay)
        + ", xdelay=" + MailLog.delay(xdelay)
        + ", mailer=" + routed.destination().mailer()
        + ", relay=" + relay
        + ", dsn=" + r.reply().dsn()
        + ", stat=" + stat(r);
  }

  // RFC 3461 4.2: ORCPT is "rfc822;" and the address in xtext, where "+HH" stands for one octet.
  private static String origTo(EnvelopeRecipient r) {
    String orcpt = r.orcpt();
    if (orcpt == null || !orcpt.regionMatches(true, 0, "rfc822;", 0, 7)) {
      return "";
    }
    String original = xtext(orcpt.substring(7));
    return original.equalsIgnoreCase(r.address().toString()) ? "" : ", orig_to=<" + original + ">";
  }

  private static String xtext(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+' && i + 2 < s.length() && s.substring(i + 1, i + 3).matches("[0-9A-Fa-f]{2}")) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
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
