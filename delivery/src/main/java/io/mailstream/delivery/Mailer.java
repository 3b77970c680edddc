package io.mailstream.delivery;

import io.mailstream.core.event.Destination;
import java.util.concurrent.CompletableFuture;

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

  /**
   * The same attempt, completed when it is over; the caller does not wait for it. A mailer that
   * does not work asynchronously delivers on the caller's thread (the local mailer: a file write).
   * Completes exceptionally only on a bug of Mailstream's, never for a delivery failure.
   */
  default CompletableFuture<TransactionResult> deliverAsync(Destination destination, OutboundMessage message) {
    try {
      return CompletableFuture.completedFuture(deliver(destination, message));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The same attempt, which the caller may take back ({@link Withdrawal}) until its transaction
   * begins; it then completes exceptionally with {@link Withdrawal.WithdrawnException}. A mailer
   * that never waits before it delivers ignores the withdrawal.
   */
  default CompletableFuture<TransactionResult> deliverAsync(
      Destination destination, OutboundMessage message, Withdrawal withdrawal) {
    return deliverAsync(destination, message);
  }
}
