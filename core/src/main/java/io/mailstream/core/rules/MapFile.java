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
import java.util.regex.Pattern;

/**
 * Reads sendmail's text map format, the input of {@code makemap}: one {@code key value} per line,
 * separated by white space (or by a colon for aliases); {@code #} starts a comment line; blank
 * lines are skipped; a line that starts with white space continues the previous entry. No makemap
 * step: Mailstream reads the text file itself.
 */
public final class MapFile {
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t]+");

  private MapFile() {}

  /** Reads {@code key<ws>value} entries (mailertable, virtusertable, access, genericstable, ...). */
  public static List<MapEntry> read(Path file) throws MapFileException {
    return parse(file.toString(), lines(file), false);
  }

  /** Reads {@code key: value} entries (aliases). */
  public static List<MapEntry> readAliases(Path file) throws MapFileException {
    return parse(file.toString(), lines(file), true);
  }

  /** Reads one name per line (local-host-names, relay-domains); a line may hold several names. */
  public static List<MapEntry> readNames(Path file) throws MapFileException {
    List<MapEntry> out = new ArrayList<>();
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = stripComment(lines.get(i)).strip();
      if (line.isEmpty()) {
        continue;
      }
      for (String name : WHITESPACE.split(line)) {
        out.add(new MapEntry(name, "", file.toString(), i + 1));
      }
    }
    return out;
  }

  /** Parses already-read lines; {@code name} is used in entries and errors. */
  static List<MapEntry> parse(String name, List<String> lines, boolean colon) throws MapFileException {
    List<MapEntry> out = new ArrayList<>();
    String key = null;
    StringBuilder value = null;
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      if (raw.startsWith("#")) {
        continue;
      }
      if (raw.isBlank()) {
        continue;
      }
      if (Character.isWhitespace(raw.charAt(0))) {
        if (key == null) {
          throw new MapFileException(name + ":" + (i + 1) + ": continuation line without an entry before it");
        }
        value.append(value.length() == 0 ? "" : " ").append(raw.strip());
        continue;
      }
      if (key != null) {
        out.add(new MapEntry(key, value.toString(), name, start));
      }
      start = i + 1;
      String line = raw.strip();
      int split = colon ? line.indexOf(':') : firstWhitespace(line);
      if (split <= 0) {
        throw new MapFileException(
            name + ":" + (i + 1) + ": expected '" + (colon ? "name: value" : "key value") + "', got '" + line + "'");
      }
      key = line.substring(0, split).strip();
      value = new StringBuilder(line.substring(split + 1).strip());
    }
    if (key != null) {
      out.add(new MapEntry(key, value.toString(), name, start));
    }
    return out;
  }

  private static int firstWhitespace(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ' ' || line.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  /**
   * The file's lines, split where {@link Files#readAllLines} splits them (LF, CR or CRLF), each read
   * as UTF-8. A line that is not UTF-8 is named with its line, as any other fault of a map file is:
   * reading the whole file at once named only the file (a fuzzer finding, MapFileFuzzTest). A
   * comment line is never read, so one in Latin-1 (common in old hand-kept files) is no reason to
   * refuse a table. Splitting the octets first is safe, as no UTF-8 sequence holds a CR or LF octet.
   */
  static List<String> lines(Path file) throws MapFileException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MapFileException(file + ": cannot read: " + e.getMessage(), e);
    }
    List<String> lines = new ArrayList<>();
    for (LineSpan span : LineSpan.split(bytes)) {
      lines.add(utf8(file, lines.size() + 1, bytes, span.from(), span.to()));
    }
    return lines;
  }

  private static String utf8(Path file, int line, byte[] bytes, int from, int to) throws MapFileException {
    if (from < to && bytes[from] == '#') {
      return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MapFileException(file + ":" + line + ": not UTF-8");
    }
  }
}
