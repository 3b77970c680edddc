package io.mailstream.core.rules.rewrite;

/**
 * Where an address sits in a message, the four cases of sendmail's {@code /tryflags}: every mailer
 * has one ruleset per position ({@code S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP}), so the same
 * address may be masqueraded in one place and left alone in another.
 */
public enum Position {
  /** {@code MAIL FROM}, where bounces go ({@code /tryflags ES}). */
  ENVELOPE_SENDER("ES"),
  /**
   * {@code From:}, {@code Sender:}, {@code Reply-To:}, {@code Errors-To:} and the {@code Resent-}
   * forms of the first three ({@code /tryflags HS}).
   */
  HEADER_SENDER("HS"),
  /** {@code RCPT TO} ({@code /tryflags ER}). */
  ENVELOPE_RECIPIENT("ER"),
  /**
   * {@code To:}, {@code Cc:}, {@code Bcc:}, their {@code Resent-} forms and {@code Apparently-To:}
   * ({@code /tryflags HR}).
   */
  HEADER_RECIPIENT("HR");

  private final String flags;

  Position(String flags) {
    this.flags = flags;
  }

  /** The {@code /tryflags} spelling, used in traces. */
  public String flags() {
    return flags;
  }

  public boolean isHeader() {
    return this == HEADER_SENDER || this == HEADER_RECIPIENT;
  }
}
