package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.EnvelopeRecipient;
import java.util.ArrayList;
import java.util.List;

/** One mail transaction (RFC 5321 3.3): from MAIL to the end of DATA or RSET. */
final class Transaction {
  final MailAddress sender;
  final String bodyType;
  /** RFC 3461 RET and ENVID, and RFC 6531 SMTPUTF8, from MAIL. */
  final String ret;
  final String envid;
  final boolean smtputf8;
  /** The size declared with MAIL's SIZE (RFC 1870), or 0. */
  final long size;
  /** Why the message is accepted but thrown away (an access DISCARD entry); null to keep it. */
  final String discard;
  final List<EnvelopeRecipient> recipients = new ArrayList<>();
  String queueId;
  /** Whether the body has started with BDAT (RFC 3030): no more RCPT, and no DATA. */
  boolean chunked;

  Transaction(MailAddress sender, String bodyType, String discard) {
    this(new MailRequest(sender, bodyType, null, null, false, 0), discard);
  }

  Transaction(MailRequest mail, String discard) {
    this.sender = mail.sender();
    this.bodyType = mail.bodyType();
    this.ret = mail.ret();
    this.envid = mail.envid();
    this.smtputf8 = mail.smtputf8();
    this.size = mail.size();
    this.discard = discard;
  }
}
