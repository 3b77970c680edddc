package io.mailstream.router.route;

import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.ReplyRecord;

/**
 * Where a recipient that cannot be delivered goes: nowhere, with a permanent (5xx: bounce) or
 * temporary (4xx: keep queued) reply, sendmail's {@code error} mailer. A recipient the router
 * cannot place is an error route, never a dropped recipient.
 */
public final class Route {
  private Route() {}

  /** Do not deliver: bounce (5xx) or keep queued (4xx) with {@code reply}. */
  public record Error(EnvelopeRecipient recipient, ReplyRecord reply) {}
}
