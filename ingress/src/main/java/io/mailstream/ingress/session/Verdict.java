package io.mailstream.ingress.session;

import io.mailstream.core.smtp.Reply;
import java.util.Objects;

/**
 * What a policy check decided, and the table entry or rule behind it for the mail log.
 *
 * @param kind accept, refuse with {@code reply}, or accept and throw the message away
 * @param reply the refusal; null unless refused
 * @param reason what decided, such as {@code access:12 Connect:192.168.212 REJECT}; null when
 *     nothing in particular did
 */
record Verdict(Kind kind, Reply reply, String reason) {

  /** The three outcomes sendmail's check rulesets have: OK, $#error and $#discard. */
  enum Kind {
    ACCEPT,
    REFUSE,
    DISCARD
  }

  static final Verdict ACCEPTED = new Verdict(Kind.ACCEPT, null, null);

  Verdict {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.REFUSE) != (reply != null)) {
      throw new IllegalArgumentException("a refusal, and only a refusal, has a reply");
    }
  }

  static Verdict accept(String reason) {
    return new Verdict(Kind.ACCEPT, null, reason);
  }

  static Verdict refuse(Reply reply, String reason) {
    return new Verdict(Kind.REFUSE, reply, reason);
  }

  static Verdict discard(String reason) {
    return new Verdict(Kind.DISCARD, null, reason);
  }

  boolean refused() {
    return kind == Kind.REFUSE;
  }

  boolean discards() {
    return kind == Kind.DISCARD;
  }
}
