package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;

/**
 * A permanent failure (or the queue lifetime ran out): the recipient leaves the queue and the
 * sender is owed a delivery status notification unless it was the null sender.
 */
public record Bounced(
    String queueId,
    MailAddress recipient,
    MailAddress sender,
    String relay,
    ReplyRecord reply,
    long bouncedAtMillis)
    implements DeliveryOutcome {}
