package io.mailstream.ingress.session;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import io.mailstream.core.address.SmtpPath;
import io.mailstream.core.config.Limits;
import java.util.Locale;
import java.util.Map;

/**
 * A checked {@code MAIL FROM:<path> [params]}: the reverse-path and its parameters.
 *
 * @param sender the reverse-path; {@link MailAddress#NULL_SENDER} for {@code <>}
 * @param bodyType 7BIT or 8BITMIME (RFC 6152), or null when not given
 * @param ret FULL or HDRS (RFC 3461 4.3), or null
 * @param envid the envelope id as sent, still xtext-encoded (RFC 3461 4.4), or null
 * @param smtputf8 whether the client gave SMTPUTF8 (RFC 6531 3.4)
 * @param size the size the client declared with SIZE (RFC 1870), or 0 when it declared none
 */
record MailRequest(MailAddress sender, String bodyType, String ret, String envid, boolean smtputf8, long size) {
  // RFC 3461 4.4: an ENVID of at most 100 characters.
  static final int MAX_ENVID = 100;

  /** Parses and checks the argument of MAIL with every optional extension offered. */
  static Checked<MailRequest> check(String argument, Limits limits) {
    return check(argument, limits, Extensions.ALL);
  }

  /** Parses and checks the argument of MAIL against the limits and the extensions offered. */
  static Checked<MailRequest> check(String argument, Limits limits, Extensions extensions) {
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
      return Checked.refuse(ExtensionReplies.badParameter(e.getMessage()));
    }
    String bodyType = null;
    String ret = null;
    String envid = null;
    boolean smtputf8 = false;
    long size = 0;
    for (Map.Entry<String, String> p : params.entrySet()) {
      String key = p.getKey();
      String value = p.getValue();
      if (!offered(key, extensions)) {
        // RFC 5321 4.1.1.11: 555 for parameters the server does not recognise or offer.
        return Checked.refuse(Replies.unsupportedParameter(key));
      }
      switch (key) {
        case "SIZE" -> {
          Checked<Void> declared = checkSize(value, limits);
          if (declared.refused()) {
            return Checked.refuse(declared.refusal());
          }
          size = Long.parseLong(value);
        }
        case "BODY" -> {
          // RFC 6152 2: BODY=7BIT or BODY=8BITMIME; BINARYMIME (RFC 3030 3) is not offered.
          bodyType = value.toUpperCase(Locale.ROOT);
          if (!bodyType.equals("7BIT") && !bodyType.equals("8BITMIME")) {
            return Checked.refuse(ExtensionReplies.badParameter("BODY=" + value));
          }
        }
        case "RET" -> {
          // RFC 3461 4.3: RET=FULL or RET=HDRS.
          ret = value.toUpperCase(Locale.ROOT);
          if (!ret.equals("FULL") && !ret.equals("HDRS")) {
            return Checked.refuse(ExtensionReplies.badParameter("RET=" + value));
          }
        }
        case "AUTH" -> {
          // RFC 4954 5: the mailbox that an authenticated relay says submitted the message, or <>.
          // Taken only from clients we trust; as no client's word about another's identity is
          // trusted here, it is checked and then treated as AUTH=<> (RFC 4954 5, "MUST").
          if (value.isEmpty() || !value.equals("<>") && !Xtext.isXtext(value)) {
            return Checked.refuse(ExtensionReplies.badParameter("AUTH=" + value));
          }
        }
        case "ENVID" -> {
          if (value.isEmpty() || value.length() > MAX_ENVID || !Xtext.isXtext(value)) {
            return Checked.refuse(ExtensionReplies.badParameter("ENVID=" + value));
          }
          envid = value;
        }
        default -> {
          // SMTPUTF8, RFC 6531 3.4: a keyword without value.
          if (!value.isEmpty()) {
            return Checked.refuse(ExtensionReplies.badParameter(key + "=" + value));
          }
          smtputf8 = true;
        }
      }
    }
    if (!smtputf8 && !isAscii(parsed.address().toString())) {
      return Checked.refuse(ExtensionReplies.nonAsciiSender());
    }
    return Checked.ok(new MailRequest(parsed.address(), bodyType, ret, envid, smtputf8, size));
  }

  private static boolean offered(String keyword, Extensions extensions) {
    return switch (keyword) {
      case "SIZE", "BODY" -> true;
      case "RET", "ENVID" -> extensions.dsn();
      case "SMTPUTF8" -> extensions.smtputf8();
      case "AUTH" -> extensions.auth();
      default -> false;
    };
  }

  // RFC 1870 3 and 6.1: SIZE=<octets>; 552 when it already exceeds the fixed maximum.
  private static Checked<Void> checkSize(String value, Limits limits) {
    if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Checked.refuse(ExtensionReplies.badParameter("SIZE=" + value));
    }
    // RFC 1870 3: up to 20 digits; anything with more than 18 exceeds every possible limit.
    boolean tooBig = value.length() > 18 || Long.parseLong(value) > limits.maxMessageSize();
    return tooBig ? Checked.refuse(Replies.messageTooBig()) : Checked.ok(null);
  }

  static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }
}
