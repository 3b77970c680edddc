package io.mailstream.core.event;

/**
 * Everything Mailstream writes to its topics, as a closed catalogue. Each event is an immutable
 * record; the codec in queue-store gives each a type tag and a schema version (docs/events.md).
 */
public sealed interface MailEvent
    permits MessageAccepted, RecipientRouted, RerouteRequested, DeliveryAttempted, DeliveryOutcome {

  /** The queue id of the message the event is about; it is also the record key. */
  String queueId();
}
