package io.mailstream.core.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * sendmail's {@code confPRIVACY_FLAGS} (PrivacyOptions), by their sendmail names. {@code public}
 * is the empty set and {@code goaway} all the restricting ones, as in sendmail.
 */
public enum PrivacyFlag {
  /** VRFY answers 252 without looking the address up. */
  NOVRFY,
  /** EXPN is refused. */
  NOEXPN,
  /** VERB is refused. */
  NOVERB,
  /** MAIL needs HELO or EHLO first. */
  NEEDMAILHELO,
  /** EXPN needs HELO or EHLO first. */
  NEEDEXPNHELO,
  /** VRFY needs HELO or EHLO first. */
  NEEDVRFYHELO,
  /** Add X-Authentication-Warning headers when the client's HELO name is not its address's name. */
  AUTHWARNINGS,
  /** Refuse DSN success notifications (NOTIFY=SUCCESS) and return receipts. */
  NORECEIPTS,
  /** DSN bounces carry headers only, never the body (as if RET=HDRS). */
  NOBODYRETN,
  /** ETRN is refused. */
  NOETRN;

  /**
   * Reads sendmail's comma- or list-separated names; {@code public} adds nothing, {@code goaway}
   * adds novrfy, noexpn, noverb, needmailhelo, needexpnhelo, needvrfyhelo, authwarnings
   * (sendmail's PRIV_GOAWAY).
   */
  public static Set<PrivacyFlag> parse(Iterable<String> names) {
    Set<PrivacyFlag> flags = EnumSet.noneOf(PrivacyFlag.class);
    for (String raw : names) {
      for (String name : raw.split(",")) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        switch (n) {
          // Flags about sendmail's own command line, queue runs and DSN fields: nothing here to
          // restrict, so accepted and ignored, for .mc files that set them.
          case "", "public", "restrictmailq", "restrictqrun", "restrictexpand", "noactualrecipient" -> {}
          // sendmail.h PRIV_GOAWAY (0x0000ffff) holds the flags below 0x10000: not noetrn,
          // noreceipts or nobodyreturn.
          case "goaway" -> flags.addAll(EnumSet.of(
              NOVRFY, NOEXPN, NOVERB, NEEDMAILHELO, NEEDEXPNHELO, NEEDVRFYHELO, AUTHWARNINGS));
          case "nobodyreturn" -> flags.add(NOBODYRETN); // sendmail's spelling (readcf.c)
          default -> {
            try {
              flags.add(valueOf(n.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("unknown privacy flag '" + name.strip() + "'", e);
            }
          }
        }
      }
    }
    return flags;
  }
}
