package io.mailstream.core.rules.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header section of a stored message (RFC 5322 2.1): the lines before the first empty line.
 * Lines end in CRLF or, leniently, a bare LF; a line that starts with a space or a tab continues the
 * field before it (RFC 5322 2.2.3, folding).
 */
public final class HeaderSection {
  private HeaderSection() {}

  /**
   * How many octets at the start of {@code message} (of which {@code available} are present) belong
   * to the header section: up to and including the line break of the last field, without the empty
   * line. 0 when the message starts with an empty line; -1 when no empty line is among the
   * available octets yet (read more, or take everything as headers if the message ends there).
   */
  public static int length(byte[] message, int available) {
    int lineStart = 0;
    for (int i = 0; i < available; i++) {
      if (message[i] != '\n') {
        continue;
      }
      int lineLength = i - lineStart;
      if (lineLength == 0 || (lineLength == 1 && message[lineStart] == '\r')) {
        return lineStart;
      }
      lineStart = i + 1;
    }
    return -1;
  }

  public static int length(byte[] message) {
    return length(message, message.length);
  }

  /**
   * A header field, folded lines included.
   *
   * @param name the field name as written, without white space before the colon
   * @param start offset of the field's first octet
   * @param bodyStart offset just after the colon
   * @param end offset after the field's last line break (or the end of the section)
   * @param line 1-based line number of the field, for traces
   */
  record Field(String name, int start, int bodyStart, int end, int line) {
    String key() {
      return name.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The fields of {@code headers[0, end)}. A line that is neither a field nor a continuation (no
   * colon, or white space in the name) is returned with a null name so the caller can report it.
   */
  static List<Field> fields(byte[] headers, int end) {
    List<Field> out = new ArrayList<>();
    int i = 0;
    int line = 1;
    while (i < end) {
      int start = i;
      int firstLine = line;
      i = lineEnd(headers, i, end);
      line++;
      while (i < end && (headers[i] == ' ' || headers[i] == '\t')) {
        i = lineEnd(headers, i, end);
        line++;
      }
      out.add(field(headers, start, i, firstLine));
    }
    return out;
  }

  private static Field field(byte[] b, int start, int end, int line) {
    int colon = -1;
    for (int j = start; j < end && b[j] != '\n'; j++) {
      if (b[j] == ':') {
        colon = j;
        break;
      }
    }
    if (colon <= start) {
      return new Field(null, start, end, end, line);
    }
    int nameEnd = colon;
    // RFC 5322 4.5.3 (obsolete syntax): white space may precede the colon.
    while (nameEnd > start && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
      nameEnd--;
    }
    for (int j = start; j < nameEnd; j++) {
      // RFC 5322 3.6.8: ftext is printable US-ASCII except colon.
      if (b[j] < 33 || b[j] > 126) {
        return new Field(null, start, end, end, line);
      }
    }
    if (nameEnd == start) {
      return new Field(null, start, end, end, line);
    }
    String name = new String(b, start, nameEnd - start, StandardCharsets.US_ASCII);
    return new Field(name, start, colon + 1, end, line);
  }

  private static int lineEnd(byte[] b, int i, int end) {
    while (i < end && b[i] != '\n') {
      i++;
    }
    return i < end ? i + 1 : end;
  }
}
