package io.mailstream.sendmail;

import java.util.List;

/**
 * Who a message is from and to, with the DSN requests of {@code -N}, {@code -R} and {@code -V}
 * and the body type of {@code -B}, as they go into MAIL and RCPT (RFC 3461, RFC 6152).
 *
 * @param sender the envelope sender, qualified; empty for the null sender
 * @param recipients the envelope recipients, qualified
 * @param notifyOn NOTIFY for every recipient, or null
 * @param ret RET, or null
 * @param envelopeId ENVID as given, or null
 * @param body BODY, or null
 */
record Envelope(String sender, List<String> recipients, String notifyOn, String ret, String envelopeId, String body) {
  Envelope {
    recipients = List.copyOf(recipients);
  }

  /** The MAIL command. */
  String mail() {
    StringBuilder c = new StringBuilder("MAIL FROM:<").append(sender).append('>');
    if (body != null) {
      c.append(" BODY=").append(body);
    }
    if (ret != null) {
      c.append(" RET=").append(ret);
    }
    if (envelopeId != null) {
      c.append(" ENVID=").append(xtext(envelopeId));
    }
    return c.toString();
  }

  /** The RCPT command for {@code recipient}. */
  String rcpt(String recipient) {
    return "RCPT TO:<" + recipient + ">" + (notifyOn == null ? "" : " NOTIFY=" + notifyOn);
  }

  // RFC 3461 4: xtext, "+" and "=" and anything outside "!" to "~" as +HH.
  private static String xtext(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c < '!' || c > '~' || c == '+' || c == '=') {
        out.append('+').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
