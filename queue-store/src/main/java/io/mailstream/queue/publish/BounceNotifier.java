package io.mailstream.queue.publish;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.body.BodyReader;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;

/**
 * Told by the stages that give up on recipients (the router for routing errors, delivery for
 * permanent failures and expired mail), so that the sender learns of it. The delivery stage's
 * implementation queues an RFC 3464 delivery status notification; the stages only need this
 * interface, which keeps the router free of the MIME code.
 *
 * <p>Delivery also tells it of recipients still deferred past the warning time, once per message
 * and destination ({@link #delayed}), for sendmail's delay warnings.
 *
 * <p>Called on the stage's worker thread with the stage's own producer and body reader, before the
 * stage commits its input: what it queues is acknowledged (or, for the router, committed in the
 * same transaction) before the bounce counts as done.
 */
@FunctionalInterface
public interface BounceNotifier {

  /** Notifies no one: for stages run without bounces (tests, tools). */
  BounceNotifier NONE = (message, failures, bodies, producer) -> {};

  /**
   * Recipients of {@code message} that failed together (one delivery attempt or one routing).
   *
   * @param message the message as accepted (its body reference, DSN parameters, client)
   * @param failures each failed recipient, with its RFC 3461 parameters, and its outcome event
   * @param bodies reads the original message back, for the returned content
   * @param producer the stage's producer, for queueing the notification
   */
  void bounced(MessageAccepted message, List<Failure> failures, BodyReader bodies, Producer<String, byte[]> producer);

  /**
   * Recipients of {@code message} deferred together by the first attempt at or after the warning
   * time (sendmail's Timeout.queuewarn). Only the delivery stage defers; others ignore this.
   *
   * @param message the message as accepted (its body reference, DSN parameters, client)
   * @param delay who is warned, about which recipients, and the times the warning states
   * @param bodies reads the original's header back, for the returned content
   * @param producer the stage's producer, for queueing the warning
   */
  default void delayed(MessageAccepted message, Delay delay, BodyReader bodies, Producer<String, byte[]> producer) {}

  /**
   * One recipient given up on.
   *
   * @param recipient the recipient with its NOTIFY and ORCPT parameters
   * @param outcome the Bounced event recorded for it (reply, relay, time, who the sender is)
   */
  record Failure(EnvelopeRecipient recipient, Bounced outcome) {}

  /**
   * Recipients of one message and destination still deferred after the warning time.
   *
   * @param sender who is warned: the routed message's envelope sender
   * @param recipients each with its RFC 3461 parameters and the Deferred event just recorded
   * @param warnAfter the warning time, counted from acceptance ("could not send message for past 4 hours")
   * @param lifetime the queue lifetime: attempts go on until acceptance plus this
   */
  record Delay(MailAddress sender, List<Delayed> recipients, Duration warnAfter, Duration lifetime) {
    public Delay {
      recipients = List.copyOf(recipients);
    }
  }

  /**
   * One recipient still deferred.
   *
   * @param recipient the recipient with its NOTIFY and ORCPT parameters
   * @param outcome the Deferred event recorded for it (last reply, relay, next attempt)
   */
  record Delayed(EnvelopeRecipient recipient, Deferred outcome) {}
}
