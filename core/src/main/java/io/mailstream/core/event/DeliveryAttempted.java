package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;

/**
 * One SMTP transaction (or local delivery) was tried for one recipient, whatever its result.
 *
 * @param relay the host that answered, as sendmail logs it: {@code smtp.example. [192.0.2.1]}
 * @param attempt 1 for the first try
 */
public record DeliveryAttempted(
    String queueId,
    MailAddress recipient,
    Destination destination,
    String relay,
    ReplyRecord reply,
    int attempt,
    long attemptedAtMillis)
    implements MailEvent {}
