package io.mailstream.queue.state;

import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;

/**
 * A deferred delivery waiting for its next attempt: the routed event with the recipients still to
 * do, and the history the schedule and the queue lifetime depend on.
 *
 * @param routed the message and destination, recipients reduced to those still deferred
 * @param attempts attempts made so far
 * @param firstAttemptAtMillis when the first attempt was made; the queue lifetime counts from the
 *     message's acceptance, this is kept for the log and DSNs
 * @param nextAttemptAtMillis when the scheduler should try again
 * @param lastReply the reply of the last attempt, for the log, {@code mailq} and the bounce
 * @param lastRelay the host that gave it
 */
public record RetryEntry(
    RecipientRouted routed,
    int attempts,
    long firstAttemptAtMillis,
    long nextAttemptAtMillis,
    ReplyRecord lastReply,
    String lastRelay) {

  /** The state key: unique per message and destination. */
  public String key() {
    return keyOf(routed);
  }

  public static String keyOf(RecipientRouted routed) {
    return routed.queueId() + "|" + routed.destination().key();
  }
}
