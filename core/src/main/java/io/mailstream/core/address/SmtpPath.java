package io.mailstream.core.address;

/** Reads the path argument of MAIL FROM and RCPT TO: {@code <mailbox>} with angle brackets. */
public final class SmtpPath {
  private SmtpPath() {}

  /**
   * Reads {@code <...>} at the start of {@code arg} and returns the mailbox and where the
   * parameters begin. The null path {@code <>} is accepted only when {@code allowNull} is set.
   */
  public static Parsed parse(String arg, boolean allowNull) throws AddressException {
    return parse(arg, allowNull, false);
  }

  /**
   * As {@link #parse(String, boolean)}; with {@code allowUnqualified} a mailbox without
   * {@code @domain} ({@code <root>}) is read too, with a null domain: sendmail takes a bare local
   * user as a recipient and qualifies it with {@code $j}.
   */
  public static Parsed parse(String arg, boolean allowNull, boolean allowUnqualified) throws AddressException {
    if (!arg.startsWith("<")) {
      throw new AddressException("path must be enclosed in angle brackets");
    }
    int end = closingBracket(arg);
    if (end < 0) {
      throw new AddressException("missing '>' at end of path");
    }
    String inner = arg.substring(1, end);
    MailAddress address = allowUnqualified && !inner.isEmpty() && !inner.startsWith("@")
            && MailboxParser.lastAtOutsideQuotes(inner) < 0
        ? MailboxParser.unqualified(inner)
        : MailboxParser.parsePath(inner, allowNull);
    String rest = arg.substring(end + 1);
    if (!rest.isEmpty() && rest.charAt(0) != ' ') {
      throw new AddressException("unexpected text after path");
    }
    return new Parsed(address, rest.strip());
  }

  private static int closingBracket(String arg) {
    boolean quoted = false;
    for (int i = 1; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '>' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /** A parsed path and the text of its ESMTP parameters (may be empty). */
  public record Parsed(MailAddress address, String parameters) {}
}
