package io.mailstream.ingress.session;

/**
 * The encodings of RFC 3461 4 (xtext, for ENVID and ORCPT) and RFC 6533 3 (utf-8-addr-xtext and
 * utf-8-addr-unitext, for {@code ORCPT=utf-8;...}). Values are checked, never decoded: they are
 * kept as the client sent them so that delivery can pass them on unchanged.
 */
final class Xtext {
  private Xtext() {}

  /**
   * RFC 3461 4: {@code xtext = *( xchar / hexchar )}, xchar any of {@code !} to {@code ~} except
   * {@code +} and {@code =}, hexchar {@code +} and two upper-case hex digits. What a hexchar
   * encodes must be printable US-ASCII too (RFC 3461 4.2, 4.4): a {@code +0D+0A} would otherwise
   * put a line break into the DSN that quotes the value, and with it fields of the sender's
   * choosing.
   */
  static boolean isXtext(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        if (i + 2 >= s.length() || !isUpperHex(s.charAt(i + 1)) || !isUpperHex(s.charAt(i + 2))) {
          return false;
        }
        int encoded = Integer.parseInt(s.substring(i + 1, i + 3), 16);
        if (encoded < 0x20 || encoded > 0x7e) {
          return false;
        }
        i += 2;
      } else if (c < '!' || c > '~' || c == '=') {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 6533 3: {@code utf-8-addr-xtext = 1*(QCHAR / EmbeddedUnicodeChar)}, QCHAR printable
   * ASCII except {@code +}, {@code =} and {@code \}, EmbeddedUnicodeChar {@code \x{HEXPOINT}};
   * with {@code unicode} (the transaction has SMTPUTF8) also UTF-8 characters as they are
   * (utf-8-addr-unitext).
   */
  static boolean isUtf8AddrXtext(String s, boolean unicode) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        int close = s.indexOf('}', i);
        if (!s.startsWith("\\x{", i) || close < 0 || !isHexPoint(s.substring(i + 3, close))) {
          return false;
        }
        i = close;
      } else if (c >= 0x80) {
        if (!unicode || Character.isISOControl(c)) {
          return false;
        }
      } else if (c < '!' || c > '~' || c == '+' || c == '=') {
        return false;
      }
    }
    return true;
  }

  // RFC 6533 3: HEXPOINT, read here as 2 to 6 upper-case hex digits of a code point up to
  // 10FFFF; the RFC's finer rules (no leading zero, no ASCII that could stand as itself) only
  // make a value canonical and change nothing about where mail goes.
  private static boolean isHexPoint(String hex) {
    if (hex.length() < 2 || hex.length() > 6) {
      return false;
    }
    for (int i = 0; i < hex.length(); i++) {
      if (!isUpperHex(hex.charAt(i))) {
        return false;
      }
    }
    return Integer.parseInt(hex, 16) <= 0x10FFFF;
  }

  private static boolean isUpperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }
}
