package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.EnvelopeRecipient;
import java.util.ArrayList;
import java.util.List;

/** One mail transaction (RFC 5321 3.3): from MAIL to the end of DATA or RSET. */
final class Transaction {
  final MailAddress sender;
  final String bodyType;
  /** Why the message is accepted but thrown away (an access DISCARD entry); null to keep it. */
  final String discard;
  final List<EnvelopeRecipient> recipients = new ArrayList<>();
  String queueId;

  Transaction(MailAddress sender, String bodyType, String discard) {
    this.sender = sender;
    this.bodyType = bodyType;
    this.discard = discard;
  }
}
