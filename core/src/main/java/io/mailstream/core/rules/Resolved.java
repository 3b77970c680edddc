package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.Destination;

/**
 * One final answer of the rules for a recipient, sendmail's delivery triple or its error. A
 * recipient may resolve to several (an alias list) and every one of them is accounted for.
 */
public sealed interface Resolved {

  /** The recipient as the client gave it, before any rewriting. */
  MailAddress original();

  /**
   * Deliver {@code recipient} through {@code destination}'s mailer.
   *
   * @param recipient the address to give the next hop (rewritten by virtusertable, aliases or a
   *     {@code mailer:user@host} entry); for the local mailer {@code user@$j}
   * @param user the user part of sendmail's triple: the mailbox for the local mailer, the address
   *     for the SMTP mailers
   */
  record Deliver(MailAddress original, MailAddress recipient, Destination destination, String user)
      implements Resolved {}

  /** Do not deliver; bounce (5xx) or keep for later (4xx) with the reply. */
  record Fail(MailAddress original, ErrorReply reply) implements Resolved {}
}
