package io.mailstream.ingress.session;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import io.mailstream.core.address.SmtpPath;
import io.mailstream.core.config.Limits;
import java.util.Locale;
import java.util.Map;

/**
 * A checked {@code MAIL FROM:<path> [params]}: the reverse-path and the RFC 6152 BODY type.
 *
 * @param sender the reverse-path; {@link MailAddress#NULL_SENDER} for {@code <>}
 * @param bodyType 7BIT or 8BITMIME, or null when not given
 */
record MailRequest(MailAddress sender, String bodyType) {

  /** Parses and checks the argument of MAIL against the limits. */
  static Checked<MailRequest> check(String argument, Limits limits) {
    String path = PathArgument.after("FROM:", argument);
    if (path == null) {
      return Checked.refuse(Replies.mailSyntax());
    }
    SmtpPath.Parsed parsed;
    try {
      parsed = SmtpPath.parse(path, true);
    } catch (AddressException e) {
      return Checked.refuse(Replies.badSender(e.getMessage()));
    }
    Map<String, String> params;
    try {
      params = EsmtpParams.parse(parsed.parameters());
    } catch (IllegalArgumentException e) {
      return Checked.refuse(Replies.parameterSyntax(e.getMessage()));
    }
    String bodyType = null;
    for (Map.Entry<String, String> p : params.entrySet()) {
      switch (p.getKey()) {
        case "SIZE" -> {
          Checked<Void> size = checkSize(p.getValue(), limits);
          if (size.refused()) {
            return Checked.refuse(size.refusal());
          }
        }
        case "BODY" -> {
          // RFC 6152 2: BODY=7BIT or BODY=8BITMIME; BINARYMIME needs CHUNKING, not offered.
          bodyType = p.getValue().toUpperCase(Locale.ROOT);
          if (!bodyType.equals("7BIT") && !bodyType.equals("8BITMIME")) {
            return Checked.refuse(Replies.parameterSyntax("BODY=" + p.getValue()));
          }
        }
        default -> {
          // RFC 5321 4.1.1.11: 555 for parameters the server does not recognise.
          return Checked.refuse(Replies.unsupportedParameter(p.getKey()));
        }
      }
    }
    return Checked.ok(new MailRequest(parsed.address(), bodyType));
  }

  // RFC 1870 3 and 6.1: SIZE=<octets>; 552 when it already exceeds the fixed maximum.
  private static Checked<Void> checkSize(String value, Limits limits) {
    if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Checked.refuse(Replies.parameterSyntax("SIZE=" + value));
    }
    // RFC 1870 3: up to 20 digits; anything with more than 18 exceeds every possible limit.
    boolean tooBig = value.length() > 18 || Long.parseLong(value) > limits.maxMessageSize();
    return tooBig ? Checked.refuse(Replies.messageTooBig()) : Checked.ok(null);
  }
}
