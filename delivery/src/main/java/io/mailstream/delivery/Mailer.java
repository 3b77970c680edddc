package io.mailstream.delivery;

import io.mailstream.core.event.Destination;

/**
 * Something that delivers a message to one destination: the SMTP client or the local Maildir
 * writer, sendmail's mailers. Delivery workers call {@link #deliver} from their own threads and
 * treat every mailer alike.
 */
public interface Mailer {

  /**
   * Tries once to deliver {@code message} to {@code destination}. Never throws for delivery
   * failures: every recipient gets a result, and failures of Mailstream's own (I/O, time-outs)
   * become deferrals with a reply that says what happened.
   */
  TransactionResult deliver(Destination destination, OutboundMessage message);
}
