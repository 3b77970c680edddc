package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;

/**
 * One RCPT TO of the envelope with its RFC 3461 parameters, kept so that delivery can pass them on
 * and bounces can honour them.
 *
 * @param address the recipient
 * @param notifyOn the NOTIFY parameter (e.g. {@code SUCCESS,FAILURE}) or null
 * @param orcpt the ORCPT parameter (e.g. {@code rfc822;a@b.example}) or null
 */
public record EnvelopeRecipient(MailAddress address, String notifyOn, String orcpt) {
  public static EnvelopeRecipient of(MailAddress address) {
    return new EnvelopeRecipient(address, null, null);
  }
}
