package io.mailstream.ingress.publish;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import java.util.List;

/**
 * Everything about an accepted message except where its body ended up: what the session hands to
 * {@link BodyWriter#commit} once the body has been received and checked.
 *
 * @param queueId the message's queue id, also the key of its body chunks
 * @param acceptedAtMillis when the end of data was received
 * @param sender the envelope sender
 * @param recipients the accepted recipients, in RCPT order
 * @param client who sent it
 * @param messageId the Message-ID header value or null
 * @param receivedHeader the Received field Mailstream prepends on delivery, CRLF terminated
 * @param dsn the MAIL FROM parameters
 */
public record Submission(
    String queueId,
    long acceptedAtMillis,
    MailAddress sender,
    List<EnvelopeRecipient> recipients,
    ClientInfo client,
    String messageId,
    String receivedHeader,
    DsnRequest dsn) {

  public Submission {
    recipients = List.copyOf(recipients);
  }

  /** The event to write once the body is stored at {@code body}. */
  public MessageAccepted toEvent(BodyRef body) {
    return new MessageAccepted(
        queueId, acceptedAtMillis, sender, recipients, client, messageId, receivedHeader, body, dsn);
  }
}
