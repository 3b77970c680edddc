package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;

/** What finally (or for now) became of one recipient at one attempt. */
public sealed interface DeliveryOutcome extends MailEvent permits Delivered, Deferred, Bounced {

  MailAddress recipient();

  /** The reply that decided the outcome, from the remote server or from Mailstream itself. */
  ReplyRecord reply();
}
