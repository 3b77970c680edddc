package io.mailstream.core.rules;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The address lines of an {@code :include:} file, read as sendmail reads them: octets, line by
 * line, so that a stray octet spoils one line and not the whole list. Mailing lists are kept by
 * hand and by scripts for decades, and a Latin-1 name in a comment or a pasted address must not
 * keep every member's mail in the queue. Blank lines and comment lines are left out whatever
 * their octets; a line that is not UTF-8 is kept, decoded with U+FFFD for each bad sequence and
 * marked, so that the expander can refuse just the members it spoils and name the line.
 */
final class IncludeFile {
  /**
   * One address line.
   *
   * @param number its line number in the file, from 1
   * @param text the line, stripped; U+FFFD where an octet sequence was not UTF-8
   * @param utf8 whether the line was valid UTF-8
   */
  record Line(int number, String text, boolean utf8) {}

  private IncludeFile() {}

  /**
   * The address lines of {@code file}.
   *
   * @throws IOException when the file cannot be read at all: missing, unreadable, a directory
   */
  static List<Line> read(Path file) throws IOException {
    return lines(Files.readAllBytes(file));
  }

  /** The address lines of a file's content. */
  static List<Line> lines(byte[] bytes) {
    List<Line> out = new ArrayList<>();
    List<LineSpan> spans = LineSpan.split(bytes);
    for (int i = 0; i < spans.size(); i++) {
      LineSpan s = spans.get(i);
      int from = s.from();
      while (from < s.to() && isBlank(bytes[from])) {
        from++;
      }
      if (from == s.to() || bytes[from] == '#') {
        continue; // blank or a comment, in whatever charset its author used
      }
      Line line = decode(i + 1, bytes, from, s.to());
      if (!line.text().isEmpty() && !line.text().startsWith("#")) {
        out.add(line);
      }
    }
    return out;
  }

  private static Line decode(int number, byte[] bytes, int from, int to) {
    ByteBuffer octets = ByteBuffer.wrap(bytes, from, to - from);
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(octets)
          .toString();
      return new Line(number, text.strip(), true);
    } catch (CharacterCodingException e) {
      // new String replaces each malformed sequence with U+FFFD and never throws.
      return new Line(number, new String(bytes, from, to - from, StandardCharsets.UTF_8).strip(), false);
    }
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\f' || b == 0x0b;
  }
}
