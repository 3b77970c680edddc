package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;
import java.util.List;

/**
 * The router decided where a group of a message's recipients goes. One event per message and
 * destination, so that delivery sends all of them in one SMTP transaction.
 *
 * @param message the accepted message (its metadata and body reference; never the body)
 * @param envelopeSender the envelope sender as delivery must send it (possibly masqueraded)
 * @param destination mailer, host and port
 * @param recipients the recipients for this destination, as rewritten by the router
 * @param headerEdits byte-range edits to apply to the stored body on the way out, in order
 * @param routedAtMillis when the router decided
 */
public record RecipientRouted(
    MessageAccepted message,
    MailAddress envelopeSender,
    Destination destination,
    List<EnvelopeRecipient> recipients,
    List<HeaderEdit> headerEdits,
    long routedAtMillis)
    implements MailEvent {

  public RecipientRouted {
    recipients = List.copyOf(recipients);
    headerEdits = List.copyOf(headerEdits);
  }

  /** The same routing of {@code stored}, the message as later events carry it (its body by reference). */
  public RecipientRouted withMessage(MessageAccepted stored) {
    return new RecipientRouted(stored, envelopeSender, destination, recipients, headerEdits, routedAtMillis);
  }

  @Override
  public String queueId() {
    return message.queueId();
  }
}
