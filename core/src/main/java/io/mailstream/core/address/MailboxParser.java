package io.mailstream.core.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads mailboxes and paths with the grammar of RFC 5321 4.1.2, strict where a lenient reading
 * could change where mail goes, and accepting what real clients send (8-bit local parts for
 * SMTPUTF8, source routes which are ignored as 4.1.1.3 asks).
 */
final class MailboxParser {
  // RFC 5321 4.5.3.1.1 and 4.5.3.1.2: 64 octets of local part, 255 of domain.
  static final int MAX_LOCAL_PART = 64;
  static final int MAX_DOMAIN = 255;

  // RFC 5321 4.1.3: IPv4-address-literal, four Snum of at most three digits and at most 255.
  // Leading zeros are refused because inet_aton would read them as octal.
  private static final String SNUM = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(SNUM + "(\\." + SNUM + "){3}");
  // RFC 5321 4.1.3: General-address-literal = Standardized-tag ":" 1*dcontent.
  private static final Pattern GENERAL_LITERAL =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?:[\\x21-\\x5a\\x5e-\\x7e]+");

  private MailboxParser() {}

  static MailAddress parse(String text) throws AddressException {
    int at = lastAtOutsideQuotes(text);
    if (at < 0) {
      throw new AddressException("no @domain in address");
    }
    String local = text.substring(0, at);
    String domain = text.substring(at + 1);
    checkLocalPart(local);
    checkDomain(domain);
    return new MailAddress(local, domain);
  }

  /** A local part alone, checked as the local part of a mailbox is; its domain is null. */
  static MailAddress unqualified(String local) throws AddressException {
    checkLocalPart(local);
    return new MailAddress(local, null);
  }

  /**
   * Reads the inside of a path's angle brackets: {@code ""} for the null path, a mailbox, or a
   * mailbox behind an obsolete source route ({@code @a.example,@b.example:user@c.example}).
   */
  static MailAddress parsePath(String inner, boolean allowNull) throws AddressException {
    if (inner.isEmpty()) {
      if (!allowNull) {
        throw new AddressException("null path not allowed here");
      }
      return MailAddress.NULL_SENDER;
    }
    if (inner.startsWith("@")) {
      inner = inner.substring(skipSourceRoute(inner));
    }
    if (inner.equalsIgnoreCase("postmaster")) {
      return new MailAddress(inner, null);
    }
    return parse(inner);
  }

  /**
   * Checks an obsolete source route ({@code @a.example,@b.example:}) and returns where the mailbox
   * after it begins. RFC 5321 4.1.1.3 lets the route be ignored, but it must still be well formed;
   * its end is the first ':' outside an address literal, as {@code @[IPv6:::1]:} has colons inside.
   */
  private static int skipSourceRoute(String inner) throws AddressException {
    int colon = -1;
    boolean literal = false;
    for (int i = 0; i < inner.length() && colon < 0; i++) {
      char c = inner.charAt(i);
      if (c == '[') {
        literal = true;
      } else if (c == ']') {
        literal = false;
      } else if (c == ':' && !literal) {
        colon = i;
      }
    }
    if (colon < 0) {
      throw new AddressException("source route without ':'");
    }
    for (String hop : inner.substring(0, colon).split(",", -1)) {
      if (!hop.startsWith("@")) {
        throw new AddressException("malformed source route");
      }
      checkDomain(hop.substring(1));
    }
    return colon + 1;
  }

  static int lastAtOutsideQuotes(String text) {
    boolean quoted = false;
    int at = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '@' && !quoted) {
        at = i;
      }
    }
    return at;
  }

  private static void checkLocalPart(String local) throws AddressException {
    if (local.isEmpty()) {
      throw new AddressException("empty local part");
    }
    if (octets(local) > MAX_LOCAL_PART) {
      throw new AddressException("local part longer than 64 octets");
    }
    if (local.startsWith("\"")) {
      if (local.length() < 2 || !local.endsWith("\"")) {
        throw new AddressException("unterminated quoted local part");
      }
      for (int i = 1; i < local.length() - 1; i++) {
        char c = local.charAt(i);
        if (c == '\\') {
          checkQuotedPair(local, ++i);
        } else if (c == '"' || c < 0x20 || c == 0x7f) {
          throw new AddressException("invalid character in quoted local part");
        }
      }
      return;
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      throw new AddressException("misplaced dot in local part");
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (!isAtext(c) && c != '.') {
        throw new AddressException("invalid character '" + printable(c) + "' in local part");
      }
    }
  }

  /**
   * RFC 5321 4.1.2: quoted-pairSMTP = %d92 %d32-126, a backslash and a printable ASCII character.
   * A backslash before a control character would carry a CR, LF or NUL inside an address to logs,
   * headers and the next hop's RCPT command (a fuzzer finding: {@code "a\<ESC>"} was taken as a
   * local part). A backslash before the closing quote escapes it and leaves the string open.
   */
  private static void checkQuotedPair(String local, int i) throws AddressException {
    if (i >= local.length() - 1) {
      throw new AddressException("unterminated quoted local part");
    }
    char c = local.charAt(i);
    if (c < 0x20 || c > 0x7e) {
      throw new AddressException("invalid character '" + printable(c) + "' after backslash in quoted local part");
    }
  }

  private static void checkDomain(String domain) throws AddressException {
    if (domain.isEmpty()) {
      throw new AddressException("empty domain");
    }
    if (octets(domain) > MAX_DOMAIN) {
      throw new AddressException("domain longer than 255 octets");
    }
    if (domain.startsWith("[")) {
      if (!domain.endsWith("]") || !isAddressLiteral(domain.substring(1, domain.length() - 1))) {
        throw new AddressException("malformed address literal " + domain);
      }
      return;
    }
    String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    for (String label : d.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63) {
        throw new AddressException("invalid domain label in " + domain);
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        throw new AddressException("domain label starts or ends with '-'");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = Character.isLetterOrDigit(c) || c == '-' || c == '_' || c >= 0x80;
        if (!ok) {
          throw new AddressException("invalid character '" + printable(c) + "' in domain");
        }
      }
    }
  }

  // RFC 5321 4.1.3: an IPv4 address, "IPv6:" and an IPv6 address, or a tagged general literal.
  private static boolean isAddressLiteral(String inside) {
    if (IPV4.matcher(inside).matches()) {
      return true;
    }
    if (inside.regionMatches(true, 0, "IPv6:", 0, 5)) {
      String v6 = inside.substring(5);
      if (!v6.contains(":") || !v6.matches("[0-9A-Fa-f:.]+")) {
        return false;
      }
      try {
        // In brackets InetAddress only parses a literal and never asks DNS. IPv4-mapped addresses
        // come back as 4 bytes, so the length is not checked.
        InetAddress.getByName("[" + v6 + "]");
        return true;
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return GENERAL_LITERAL.matcher(inside).matches();
  }

  // The limits of RFC 5321 4.5.3.1 count octets, and SMTPUTF8 text is UTF-8 on the wire.
  private static int octets(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  // RFC 5322 3.2.3 atext, plus UTF-8 per RFC 6531.
  private static boolean isAtext(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
        || c >= 0x80;
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c);
  }
}
