package io.mailstream.core.rules;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of an access database entry. cf/README ("The value part of the map can contain"):
 *
 * <ul>
 *   <li>OK: "Accept mail even if other rules in the running ruleset would reject it [...] OK allows
 *       less than RELAY";
 *   <li>RELAY: "Accept mail addressed to the indicated domain or received from the indicated
 *       domain for relaying [...] RELAY also serves as an implicit OK for the other checks";
 *   <li>REJECT: "Reject the sender or recipient with a general purpose message";
 *   <li>DISCARD: "Discard the message completely";
 *   <li>SKIP: "abort the current search for this entry without accepting or rejecting it but
 *       causing the default action";
 *   <li>{@code ERROR:### any text}, {@code ERROR:D.S.N:### any text}, optionally with the text in
 *       quotes, and the deprecated bare {@code ### any text}: reject with that reply.
 * </ul>
 *
 * <p>Keywords compare without case, as sendmail's rules match them. {@code QUARANTINE:} is refused:
 * Mailstream has no quarantine, and accepting such an entry would deliver mail sendmail would hold.
 *
 * @param kind what the entry says to do
 * @param error the reply for {@link Kind#ERROR}; null for the other kinds
 */
public record AccessAction(Kind kind, ErrorReply error) {

  /** The kinds of value. */
  public enum Kind {
    OK,
    RELAY,
    REJECT,
    DISCARD,
    SKIP,
    ERROR
  }

  // proto.m4: R<ERROR:$-.$-.$-:$+> takes the D.S.N; anything else after ERROR: is the text.
  private static final Pattern DSN_FIRST = Pattern.compile("(\\d\\.\\d{1,3}\\.\\d{1,3}):(.*)", Pattern.DOTALL);
  private static final Pattern BARE_REPLY = Pattern.compile("\"?[245]\\d\\d[ -].*", Pattern.DOTALL);

  public AccessAction {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.ERROR) != (error != null)) {
      throw new IllegalArgumentException("an error reply goes with ERROR and only with it");
    }
  }

  /**
   * Reads the value of an entry.
   *
   * @throws IllegalArgumentException with a reason fit for {@code file:line: reason}
   */
  static AccessAction parse(String value) {
    String v = value.strip();
    String upper = v.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "OK", "RELAY", "REJECT", "DISCARD", "SKIP" -> {
        return new AccessAction(Kind.valueOf(upper), null);
      }
      default -> {
        // handled below
      }
    }
    if (upper.startsWith("ERROR:")) {
      return error(v.substring(6));
    }
    if (upper.startsWith("QUARANTINE:")) {
      throw new IllegalArgumentException("QUARANTINE is not supported: Mailstream has no quarantine");
    }
    if (BARE_REPLY.matcher(v).matches()) {
      // cf/README: "### any text [...] This type is deprecated, use one of the two ERROR: entries".
      return new AccessAction(Kind.ERROR, reply(null, v));
    }
    throw new IllegalArgumentException(
        "'" + v + "': expected OK, RELAY, REJECT, DISCARD, SKIP, ERROR:\"### text\" or ERROR:D.S.N:\"### text\"");
  }

  private static AccessAction error(String rest) {
    Matcher m = DSN_FIRST.matcher(rest.strip());
    return m.matches()
        ? new AccessAction(Kind.ERROR, reply(m.group(1), m.group(2)))
        : new AccessAction(Kind.ERROR, reply(null, rest));
  }

  private static ErrorReply reply(String dsn, String text) {
    String t = text.strip();
    // cf/README: 'The entire string should be quoted to avoid surprises: "### any text"'.
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1).strip();
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException("ERROR: without a reply text");
    }
    return ErrorReply.fromText(dsn, t);
  }

  /** OK or RELAY: sendmail's class {Accept}, which ends the check with acceptance. */
  public boolean accepts() {
    return kind == Kind.OK || kind == Kind.RELAY;
  }

  /** {@code RELAY}, {@code ERROR:550 5.7.1 text}, the form traces print. */
  @Override
  public String toString() {
    return kind == Kind.ERROR ? "ERROR:" + error.code() + " " + error.status() + " " + error.text() : kind.name();
  }
}
