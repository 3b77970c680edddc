package io.mailstream.delivery;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One message as a mailer sends it: the envelope for one destination, the trace header Mailstream
 * prepends and the stored body.
 *
 * @param queueId the queue id, for logs
 * @param sender the envelope sender; {@link MailAddress#NULL_SENDER} for bounces
 * @param recipients the recipients for this destination, in the order RCPT is sent
 * @param traceHeader the Received header, CRLF terminated, sent before the body; may be empty
 * @param body the stored message
 * @param dsn the RFC 3461 and RFC 6152 parameters of the original MAIL FROM
 */
public record OutboundMessage(
    String queueId,
    MailAddress sender,
    List<EnvelopeRecipient> recipients,
    String traceHeader,
    BodySource body,
    DsnRequest dsn) {

  public OutboundMessage {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(body, "body");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a message needs at least one recipient");
    }
    traceHeader = traceHeader == null ? "" : traceHeader;
    dsn = dsn == null ? DsnRequest.NONE : dsn;
  }

  /** A message without DSN parameters. */
  public static OutboundMessage of(
      String queueId,
      MailAddress sender,
      List<EnvelopeRecipient> recipients,
      String traceHeader,
      BodySource body) {
    return new OutboundMessage(queueId, sender, recipients, traceHeader, body, DsnRequest.NONE);
  }

  /** The trace header as it goes on the wire. */
  public byte[] traceHeaderBytes() {
    return traceHeader.getBytes(StandardCharsets.UTF_8);
  }

  /** Trace header plus body in octets, or -1 when the body size is unknown. */
  public long size() {
    long b = body.size();
    return b < 0 ? -1 : b + traceHeaderBytes().length;
  }

  /**
   * Whether the message was received as 8-bit MIME (RFC 6152). The ingress records the BODY
   * parameter the client declared; the body is not scanned again here because that would take a
   * second pass over a stream.
   */
  public boolean eightBit() {
    return "8BITMIME".equalsIgnoreCase(dsn.bodyType());
  }
}
