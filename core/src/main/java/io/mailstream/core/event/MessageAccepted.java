package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;
import java.util.List;

/**
 * The ingress accepted a message: written with its body inside (one chunk or less), or after all
 * body chunks are acknowledged, and before the client gets {@code 250}. Its presence on the
 * accepted topic is the commit point of the message.
 *
 * @param queueId Mailstream's id for the message, unique across the cluster
 * @param acceptedAtMillis when the ingress took responsibility for it
 * @param sender the envelope sender; {@link MailAddress#NULL_SENDER} for bounces
 * @param recipients the envelope recipients, in RCPT order
 * @param client who sent it
 * @param messageId the Message-ID header field's value (for a local submission that had none, the
 *     one its node added), or null when the message has none
 * @param receivedHeader the header fields Mailstream prepends, CRLF terminated: the Received trace
 *     field and what travels with it (X-Authentication-Warning, a replay's trace field, and the
 *     Date, From and Message-ID a local submission lacked)
 * @param body the body (the message exactly as received), or where it is stored
 * @param dsn the RFC 3461 envelope parameters of MAIL FROM
 */
public record MessageAccepted(
    String queueId,
    long acceptedAtMillis,
    MailAddress sender,
    List<EnvelopeRecipient> recipients,
    ClientInfo client,
    String messageId,
    String receivedHeader,
    BodyRef body,
    DsnRequest dsn)
    implements MailEvent {

  public MessageAccepted {
    recipients = List.copyOf(recipients);
  }

  /**
   * This event as later events carry it, once its record is at {@code partition}/{@code offset}
   * of the accepted topic: an inline body becomes a reference to that record.
   */
  public MessageAccepted storedAt(int partition, long offset) {
    BodyRef ref = body.storedAt(partition, offset);
    return ref == body
        ? this
        : new MessageAccepted(queueId, acceptedAtMillis, sender, recipients, client, messageId, receivedHeader, ref, dsn);
  }

  /**
   * This event with other fields to prepend: the router's, when it rewrites the From a node added
   * to a local submission (it travels here, not in the body) for one destination's mailer.
   */
  public MessageAccepted withReceivedHeader(String fields) {
    return new MessageAccepted(queueId, acceptedAtMillis, sender, recipients, client, messageId, fields, body, dsn);
  }

  /**
   * RFC 3461 and RFC 6152 parameters of MAIL FROM; each may be null.
   *
   * @param ret FULL or HDRS
   * @param envid the envelope id
   * @param bodyType 7BIT or 8BITMIME
   * @param smtputf8 whether the client asked for SMTPUTF8
   */
  public record DsnRequest(String ret, String envid, String bodyType, boolean smtputf8) {
    public static final DsnRequest NONE = new DsnRequest(null, null, null, false);
  }
}
