package io.mailstream.core.event;

import java.util.List;
import java.util.Objects;

/**
 * An administrator's order about queued messages, written to the control topic by {@code mailstream
 * hold}, {@code release}, {@code delete}, {@code flush} and {@code requeue} (through any node's admin
 * endpoint). It names the messages by queue id, resolved from the filter by the node that took the
 * order, so that every node obeys exactly the same set whatever its own view of the queue. It is not
 * a {@link MailEvent}: it is about many messages and never travels with mail.
 *
 * @param verb what to do
 * @param queueIds the messages it applies to
 * @param issuedBy who gave it: the node that took it and the verb's user, for the history
 * @param issuedAtMillis when it was given
 */
public record QueueCommand(Verb verb, List<String> queueIds, String issuedBy, long issuedAtMillis) {
  /** The orders, named after the verbs that give them (postsuper -h, -H, -d; postqueue -s; postsuper -r). */
  public enum Verb {
    /** Attempts that start from now on wait until released. */
    HOLD,
    /** Lifts a hold; the message is attempted at once. */
    RELEASE,
    /** The message leaves the queue without a delivery status notification. */
    DELETE,
    /** Deferred recipients are attempted now instead of at their next retry. */
    FLUSH,
    /** Deferred recipients go back to the router and are routed under the rules in force. */
    REQUEUE
  }

  public QueueCommand {
    Objects.requireNonNull(verb, "verb");
    queueIds = List.copyOf(queueIds);
  }
}
