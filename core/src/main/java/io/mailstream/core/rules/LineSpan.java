package io.mailstream.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one line of a file's octets lies, without its line end. Files are split as octets before
 * they are decoded, so that a line that is not UTF-8 spoils only itself: no UTF-8 sequence holds a
 * CR or LF octet.
 *
 * @param from the first octet of the line
 * @param to the octet after its last
 */
record LineSpan(int from, int to) {
  /** The lines of {@code bytes}, split where {@link java.nio.file.Files#readAllLines} splits them (LF, CR or CRLF). */
  static List<LineSpan> split(byte[] bytes) {
    List<LineSpan> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < bytes.length) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        lines.add(new LineSpan(start, i));
        i += bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < bytes.length) {
      lines.add(new LineSpan(start, bytes.length));
    }
    return lines;
  }
}
