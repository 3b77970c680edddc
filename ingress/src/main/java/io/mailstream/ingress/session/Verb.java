package io.mailstream.ingress.session;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SMTP command verbs the session knows. {@link #NOT_IMPLEMENTED} stands for verbs that exist
 * in some RFC but that Mailstream does not offer (RFC 5321 4.2.4: 502), {@link #UNKNOWN} for all
 * other words (500), and {@link #INVALID} for a line that cannot be a command at all.
 */
public enum Verb {
  HELO,
  EHLO,
  MAIL,
  RCPT,
  DATA,
  RSET,
  NOOP,
  QUIT,
  VRFY,
  HELP,
  EXPN,
  VERB,
  ETRN,
  STARTTLS,
  AUTH,
  BDAT,
  NOT_IMPLEMENTED,
  UNKNOWN,
  INVALID;

  private static final Map<String, Verb> BY_NAME =
      Stream.of(HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, HELP, EXPN, VERB, ETRN, STARTTLS, AUTH, BDAT)
          .collect(Collectors.toUnmodifiableMap(Verb::name, Function.identity()));

  /** Verbs from RFC 821, RFC 5321 and common extensions that this server does not advertise. */
  private static final java.util.Set<String> UNSUPPORTED =
      java.util.Set.of(
          "TURN", "ATRN", "SEND", "SOML", "SAML", "ONEX", "XCLIENT", "XFORWARD", "LHLO");

  /** The verb for a command word, compared without case (RFC 5321 2.4). */
  public static Verb of(String word) {
    String w = word.toUpperCase(Locale.ROOT);
    Verb v = BY_NAME.get(w);
    if (v != null) {
      return v;
    }
    return UNSUPPORTED.contains(w) ? NOT_IMPLEMENTED : UNKNOWN;
  }
}
