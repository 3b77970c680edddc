package io.mailstream.ingress.session;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.SmtpPath;
import io.mailstream.core.event.EnvelopeRecipient;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A checked {@code RCPT TO:<path> [params]}, with the RFC 3461 parameters NOTIFY and ORCPT when
 * DSN is offered; any other parameter gets 555.
 */
final class RcptRequest {
  // RFC 3461 4.2: an ORCPT of at most 500 characters.
  static final int MAX_ORCPT = 500;
  // RFC 3461 4.2: addr-type is an atom (RFC 5322 3.2.3 atext).
  private static final Pattern ADDR_TYPE = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+");

  private RcptRequest() {}

  /** Parses and checks the argument of RCPT with every optional extension offered. */
  static Checked<EnvelopeRecipient> check(String argument) {
    return check(argument, Extensions.ALL, true);
  }

  /**
   * Parses and checks the argument of RCPT.
   *
   * @param smtputf8 whether the transaction's MAIL had SMTPUTF8, which allows UTF-8 addresses
   */
  static Checked<EnvelopeRecipient> check(String argument, Extensions extensions, boolean smtputf8) {
    String path = PathArgument.after("TO:", argument);
    if (path == null) {
      return Checked.refuse(Replies.rcptSyntax());
    }
    SmtpPath.Parsed parsed;
    try {
      // sendmail takes RCPT TO:<root>, a bare local user; the session qualifies it with $j.
      parsed = SmtpPath.parse(path, false, true);
    } catch (AddressException e) {
      return Checked.refuse(Replies.badRecipient(e.getMessage()));
    }
    Map<String, String> params;
    try {
      params = EsmtpParams.parse(parsed.parameters());
    } catch (IllegalArgumentException e) {
      return Checked.refuse(ExtensionReplies.badParameter(e.getMessage()));
    }
    String notify = null;
    String orcpt = null;
    for (Map.Entry<String, String> p : params.entrySet()) {
      String key = p.getKey();
      if (!extensions.dsn() || !(key.equals("NOTIFY") || key.equals("ORCPT"))) {
        return Checked.refuse(Replies.unsupportedParameter(key));
      }
      if (key.equals("NOTIFY")) {
        notify = notify(p.getValue());
        if (notify == null) {
          return Checked.refuse(ExtensionReplies.badParameter("NOTIFY=" + p.getValue()));
        }
      } else {
        if (!isOrcpt(p.getValue(), smtputf8)) {
          return Checked.refuse(ExtensionReplies.badParameter("ORCPT=" + p.getValue()));
        }
        orcpt = p.getValue();
      }
    }
    if (!smtputf8 && !MailRequest.isAscii(parsed.address().toString())) {
      return Checked.refuse(ExtensionReplies.nonAsciiRecipient());
    }
    return Checked.ok(new EnvelopeRecipient(parsed.address(), notify, orcpt));
  }

  /**
   * RFC 3461 4.1: NEVER alone, or a comma-separated list of SUCCESS, FAILURE and DELAY, each at
   * most once; returned upper-cased, or null when malformed.
   */
  static String notify(String value) {
    String upper = value.toUpperCase(Locale.ROOT);
    if (upper.equals("NEVER")) {
      return upper;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String word : upper.split(",", -1)) {
      if (!Set.of("SUCCESS", "FAILURE", "DELAY").contains(word) || !seen.add(word)) {
        return null;
      }
    }
    return String.join(",", seen);
  }

  /**
   * RFC 3461 4.2: {@code addr-type ";" xtext}; for the addr-type utf-8, RFC 6533 3's
   * utf-8-addr-xtext, or utf-8-addr-unitext in an SMTPUTF8 transaction.
   */
  static boolean isOrcpt(String value, boolean smtputf8) {
    int semicolon = value.indexOf(';');
    if (semicolon <= 0 || value.length() > MAX_ORCPT) {
      return false;
    }
    String type = value.substring(0, semicolon);
    String address = value.substring(semicolon + 1);
    if (!ADDR_TYPE.matcher(type).matches() || address.isEmpty()) {
      return false;
    }
    return type.equalsIgnoreCase("utf-8")
        ? Xtext.isUtf8AddrXtext(address, smtputf8)
        : Xtext.isXtext(address);
  }
}
