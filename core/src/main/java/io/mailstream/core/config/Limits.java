package io.mailstream.core.config;

import java.time.Duration;

/**
 * Limits the ingress enforces.
 *
 * @param maxMessageSize octets, advertised with SIZE (RFC 1870); sendmail's confMAX_MESSAGE_SIZE
 * @param maxRecipients recipients per message; RFC 5321 4.5.3.1.8 requires at least 100
 * @param maxHops Received headers before a message is refused as looping (sendmail's MaxHopCount)
 * @param acceptDeadline how long DATA may wait for the queue to acknowledge before {@code 451}
 */
public record Limits(long maxMessageSize, int maxRecipients, int maxHops, Duration acceptDeadline) {}
