package io.mailstream.ingress.session;

import java.nio.charset.StandardCharsets;

/**
 * Client text the server repeats (the HELO name in replies and the Received header), cut to a
 * number of octets rather than characters: a UTF-8 character takes up to four, and a reply line
 * may have only 512 octets (RFC 5321 4.5.3.1.5), a header line 998 (RFC 5322 2.1.1).
 */
final class Echo {
  private Echo() {}

  /** {@code text}, or its longest prefix that fits {@code octets} with "..." after it. */
  static String atMost(String text, int octets) {
    if (text.getBytes(StandardCharsets.UTF_8).length <= octets) {
      return text;
    }
    int budget = octets - 3;
    int used = 0;
    int end = 0;
    while (end < text.length()) {
      int cp = text.codePointAt(end);
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (used + size > budget) {
        break;
      }
      used += size;
      end += Character.charCount(cp);
    }
    return text.substring(0, end) + "...";
  }
}
