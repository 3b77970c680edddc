package io.mailstream.core.address;

import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox as SMTP carries it: a local part and a domain (RFC 5321 4.1.2).
 *
 * <p>The local part keeps its case and quoting exactly as the client sent it, because only the
 * final destination may interpret it (RFC 5321 2.4). Domains compare without case. The domain may
 * be absent only for the special recipient {@code <Postmaster>} (RFC 5321 4.5.1) and for bare
 * addresses read from map files.
 */
public record MailAddress(String localPart, String domain) {

  /** The null reverse-path {@code <>} used by bounces (RFC 5321 4.5.5). */
  public static final MailAddress NULL_SENDER = new MailAddress("", null);

  public MailAddress {
    Objects.requireNonNull(localPart, "localPart");
    if (domain != null && domain.isEmpty()) {
      throw new IllegalArgumentException("empty domain");
    }
  }

  /**
   * Reads a mailbox in {@code local@domain} form (no angle brackets). The split is at the last
   * {@code @} outside a quoted string, so {@code "a@b"@example.com} keeps its quoted local part.
   *
   * @throws AddressException when the text is not a mailbox
   */
  public static MailAddress parse(String mailbox) throws AddressException {
    return MailboxParser.parse(mailbox);
  }

  /**
   * Where the domain starts in {@code mailbox}: the index of the last {@code @} outside a quoted
   * string, or -1 when there is none.
   */
  public static int domainSeparator(String mailbox) {
    return MailboxParser.lastAtOutsideQuotes(mailbox);
  }

  public boolean isNullSender() {
    return localPart.isEmpty() && domain == null;
  }

  /** The domain in lower case, without a trailing dot; null when there is none. */
  public String domainKey() {
    if (domain == null) {
      return null;
    }
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /** True for {@code [192.0.2.1]} and {@code [IPv6:...]} domains (RFC 5321 4.1.3). */
  public boolean hasAddressLiteral() {
    return domain != null && domain.startsWith("[");
  }

  /** The local part without surrounding quotes and backslash escapes, as a user name. */
  public String unquotedLocalPart() {
    if (localPart.length() >= 2 && localPart.startsWith("\"") && localPart.endsWith("\"")) {
      return localPart.substring(1, localPart.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return localPart;
  }

  /** The address as it appears between angle brackets: empty for the null sender. */
  @Override
  public String toString() {
    if (isNullSender()) {
      return "";
    }
    return domain == null ? localPart : localPart + "@" + domain;
  }

  /** The address with angle brackets, as sendmail logs it: {@code <a@b.example>}. */
  public String bracketed() {
    return "<" + this + ">";
  }
}
