package io.mailstream.router.route;

import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.ReplyRecord;

/**
 * Where one recipient goes: to a destination, or nowhere with a permanent or temporary error
 * (sendmail's {@code error} mailer). Never absent: a recipient the router cannot place is an error
 * route, not a dropped recipient.
 */
public sealed interface Route {

  EnvelopeRecipient recipient();

  /** Deliver to {@code destination}. */
  record To(EnvelopeRecipient recipient, Destination destination) implements Route {}

  /** Do not deliver: bounce (5xx) or keep queued (4xx) with {@code reply}. */
  record Error(EnvelopeRecipient recipient, ReplyRecord reply) implements Route {}
}
