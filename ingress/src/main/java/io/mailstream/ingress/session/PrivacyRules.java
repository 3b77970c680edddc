package io.mailstream.ingress.session;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.PrivacyFlag;
import io.mailstream.core.config.SmtpSettings;
import io.mailstream.core.smtp.Reply;
import java.util.function.Function;

/**
 * sendmail's confPRIVACY_FLAGS for the commands that give information away or ask for work:
 * VRFY, EXPN, VERB and ETRN, and whether MAIL needs a greeting first (srvrsmtp.c). The checks
 * come in sendmail's order: the flag that forbids a command outright first, then the one that
 * wants HELO first.
 *
 * <p>Without novrfy, VRFY tells what RCPT would tell and no more: when the tables refuse the
 * address as unknown (a 5.1.x reply, such as a virtusertable {@code error:nouser}) that refusal,
 * otherwise 252. Mailstream is a relay: that it would take an address does not mean the mailbox
 * exists, so it never answers 250. Without noexpn, EXPN answers as VRFY does; lists are expanded
 * by the router, never shown to clients.
 */
final class PrivacyRules {
  private final SmtpSettings smtp;

  PrivacyRules(SmtpSettings smtp) {
    this.smtp = smtp;
  }

  /** MAIL before HELO or EHLO: always refused (RFC 5321 4.1.4 allows it), in sendmail's words with needmailhelo. */
  Reply mailBeforeHelo() {
    return smtp.has(PrivacyFlag.NEEDMAILHELO) ? ControlReplies.politePeople() : Replies.needHelo();
  }

  /**
   * VRFY (RFC 5321 3.5.1) or EXPN (3.5.2).
   *
   * @param greeted whether the client said HELO or EHLO
   * @param rcptCheck the RCPT checks for an address
   */
  Reply verify(Command c, boolean greeted, Function<MailAddress, Verdict> rcptCheck) {
    boolean vrfy = c.verb() == Verb.VRFY;
    if (vrfy && !c.hasArgument()) {
      return Replies.syntax("VRFY address");
    }
    if (smtp.has(vrfy ? PrivacyFlag.NOVRFY : PrivacyFlag.NOEXPN)) {
      return vrfy ? Replies.cannotVrfy() : ControlReplies.expnRefused();
    }
    if (!greeted && smtp.has(vrfy ? PrivacyFlag.NEEDVRFYHELO : PrivacyFlag.NEEDEXPNHELO)) {
      return ControlReplies.introduceYourself();
    }
    if (!c.hasArgument()) {
      return Replies.syntax("EXPN mailing-list");
    }
    String text = c.argument();
    if (text.startsWith("<") && text.endsWith(">")) {
      text = text.substring(1, text.length() - 1);
    }
    MailAddress address;
    try {
      address = MailAddress.parse(text);
    } catch (AddressException e) {
      return Replies.cannotVrfy();
    }
    if (address.domain() == null) {
      return Replies.cannotVrfy();
    }
    Verdict v = rcptCheck.apply(address);
    Reply r = v.reply();
    boolean unknown = v.refused() && r.isPermanent() && r.status() != null && r.status().subject() == 1;
    return unknown ? r : Replies.cannotVrfy();
  }

  /** VERB: sendmail's verbose mode; refused outright with noverb. */
  Reply verb() {
    return smtp.has(PrivacyFlag.NOVERB) ? ControlReplies.verbRefused() : ControlReplies.notOffered("VERB");
  }

  /** ETRN (RFC 1985): refused outright with noetrn. */
  Reply etrn() {
    return smtp.has(PrivacyFlag.NOETRN) ? ControlReplies.etrnRefused() : ControlReplies.notOffered("ETRN");
  }
}
