package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;

/** A transient failure: the recipient stays queued until {@code nextAttemptAtMillis}. */
public record Deferred(
    String queueId,
    MailAddress recipient,
    String relay,
    ReplyRecord reply,
    int attempts,
    long nextAttemptAtMillis)
    implements DeliveryOutcome {}
