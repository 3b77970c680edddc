package io.mailstream.delivery;

import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.ReplyRecord;
import java.util.Objects;

/**
 * What one delivery attempt did for one recipient, and the reply that decided it: the remote
 * server's, or one Mailstream made up for a local failure (time-out, dropped connection).
 */
public record RecipientResult(EnvelopeRecipient recipient, Outcome outcome, ReplyRecord reply) {

  /** The three ends of an attempt, as OpenSMTPD's {@code DELIVERY_OK | _TEMPFAIL | _PERMFAIL}. */
  public enum Outcome {
    /** The next hop (or the mailbox) took responsibility. */
    DELIVERED,
    /** A transient failure: try again later. */
    DEFERRED,
    /** A permanent failure: the sender is owed a bounce. */
    BOUNCED;

    /** The outcome a reply code stands for: 2xx delivered, 4xx deferred, 5xx bounced. */
    public static Outcome of(ReplyRecord reply) {
      if (reply.code() >= 500) {
        return BOUNCED;
      }
      return reply.code() >= 400 ? DEFERRED : DELIVERED;
    }
  }

  public RecipientResult {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reply, "reply");
  }
}
