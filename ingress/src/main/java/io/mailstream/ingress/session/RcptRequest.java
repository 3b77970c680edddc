package io.mailstream.ingress.session;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import io.mailstream.core.address.SmtpPath;
import io.mailstream.core.event.EnvelopeRecipient;

/** A checked {@code RCPT TO:<path>}; no RCPT parameters are advertised, so none are accepted. */
final class RcptRequest {
  private RcptRequest() {}

  static Checked<EnvelopeRecipient> check(String argument) {
    String path = PathArgument.after("TO:", argument);
    if (path == null) {
      return Checked.refuse(Replies.rcptSyntax());
    }
    SmtpPath.Parsed parsed;
    try {
      parsed = SmtpPath.parse(path, false);
    } catch (AddressException e) {
      return Checked.refuse(Replies.badRecipient(e.getMessage()));
    }
    if (!parsed.parameters().isEmpty()) {
      try {
        String first = EsmtpParams.parse(parsed.parameters()).keySet().iterator().next();
        return Checked.refuse(Replies.unsupportedParameter(first));
      } catch (IllegalArgumentException e) {
        return Checked.refuse(Replies.parameterSyntax(e.getMessage()));
      }
    }
    MailAddress address = parsed.address();
    return Checked.ok(EnvelopeRecipient.of(address));
  }
}
