package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;

/** The next hop accepted responsibility for the recipient (or the local mailbox was written). */
public record Delivered(
    String queueId,
    MailAddress recipient,
    String relay,
    ReplyRecord reply,
    long acceptedAtMillis,
    long deliveredAtMillis)
    implements DeliveryOutcome {}
