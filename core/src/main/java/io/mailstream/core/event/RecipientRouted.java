package io.mailstream.core.event;

import io.mailstream.core.address.MailAddress;
import java.util.List;

/**
 * The router decided where a group of a message's recipients goes. One event per message and
 * destination, so that delivery sends all of them in one SMTP transaction.
 *
 * @param message the accepted message (its metadata and body reference; never the body)
 * @param envelopeSender the envelope sender as delivery must send it (possibly masqueraded)
 * @param destination mailer, host and port
 * @param recipients the recipients for this destination, as rewritten by the router
 * @param headerEdits byte-range edits to apply to the stored body on the way out, in order
 * @param routedAtMillis when the router decided
 * @param routingFingerprint the fingerprint of the rules that chose the destination (the core
 *     rules' {@code RuleSet.fingerprint()}); a retry under rules with another one is routed again.
 *     Null when unknown: a record written before schema version 2
 */
public record RecipientRouted(
    MessageAccepted message,
    MailAddress envelopeSender,
    Destination destination,
    List<EnvelopeRecipient> recipients,
    List<HeaderEdit> headerEdits,
    long routedAtMillis,
    String routingFingerprint)
    implements MailEvent {

  public RecipientRouted {
    recipients = List.copyOf(recipients);
    headerEdits = List.copyOf(headerEdits);
  }

  /** Routed under rules whose fingerprint is unknown, as version-1 records were. */
  public RecipientRouted(MessageAccepted message, MailAddress envelopeSender, Destination destination,
      List<EnvelopeRecipient> recipients, List<HeaderEdit> headerEdits, long routedAtMillis) {
    this(message, envelopeSender, destination, recipients, headerEdits, routedAtMillis, null);
  }

  /** The same routing for only {@code some} of the recipients (those still deferred). */
  public RecipientRouted withRecipients(List<EnvelopeRecipient> some) {
    return new RecipientRouted(message, envelopeSender, destination, some, headerEdits, routedAtMillis, routingFingerprint);
  }

  /**
   * Whether this routing was decided under other rules than those with {@code current} fingerprint,
   * so that a retry must route the recipients again first. The local mailer has no route to change,
   * and recipients waiting for the router are routed again anyway; an unknown current fingerprint
   * (a worker not told the rules) changes nothing.
   */
  public boolean routedUnderOtherRules(String current) {
    if (current == null || destination.isLocal() || destination.isReroute()) {
      return false;
    }
    return !current.equals(routingFingerprint);
  }

  /** The same routing of {@code stored}, the message as later events carry it (its body by reference). */
  public RecipientRouted withMessage(MessageAccepted stored) {
    return new RecipientRouted(stored, envelopeSender, destination, recipients, headerEdits, routedAtMillis, routingFingerprint);
  }

  @Override
  public String queueId() {
    return message.queueId();
  }
}
