package io.mailstream.delivery.bounce;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.EnvelopeRecipient;
import java.util.Locale;

/**
 * Who is owed a failure notice or a delay warning, by RFC 3461 and sendmail's practice. Kept apart from the message
 * building so that the rules read in one place.
 */
final class NotifyRules {
  private NotifyRules() {}

  /**
   * Whether a failure of {@code recipient} is reported to {@code sender}. Never to the null sender:
   * RFC 5321 4.5.5 and RFC 3461 6.2 forbid a notice about a notice, which is also what stops two
   * MTAs from bouncing a bounce between them for ever. Then the recipient's NOTIFY decides: absent
   * means FAILURE (RFC 3461 4.1 leaves it to the MTA; sendmail reports failures), NEVER means none,
   * and a list without FAILURE (e.g. SUCCESS or DELAY alone) means none for a failure.
   */
  static boolean reportFailure(MailAddress sender, EnvelopeRecipient recipient) {
    return owed(sender, recipient, "FAILURE");
  }

  /**
   * Whether a delay of {@code recipient} earns {@code sender} a warning. The same rules with DELAY
   * for FAILURE: never to the null sender; absent NOTIFY means sendmail's default, which warns
   * (RFC 3461 4.1 leaves the default to the MTA); NEVER, or a list without DELAY, means none.
   */
  static boolean reportDelay(MailAddress sender, EnvelopeRecipient recipient) {
    return owed(sender, recipient, "DELAY");
  }

  private static boolean owed(MailAddress sender, EnvelopeRecipient recipient, String keywordWanted) {
    if (sender == null || sender.isNullSender()) {
      return false;
    }
    String notify = recipient.notifyOn();
    if (notify == null || notify.isBlank()) {
      return true;
    }
    for (String keyword : notify.toUpperCase(Locale.ROOT).split(",")) {
      if (keyword.trim().equals(keywordWanted)) {
        return true;
      }
    }
    return false;
  }
}
