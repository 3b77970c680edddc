package io.mailstream.ops.importer;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a sendmail.mc the way m4 does, as far as the importer needs: {@code dnl} discards through
 * the end of the line, {@code `quotes'} nest and lose one level, a name directly followed by
 * {@code (} is a call whose arguments are split at top-level commas with leading blanks skipped,
 * and {@code divert} decides which plain text reaches sendmail.cf.
 *
 * <p>{@code #} starts an m4 comment only until sendmail's cf.m4 is read: cfhead.m4 runs {@code
 * changecom()}, so after {@code include(`.../cf.m4')}, or from the start when the file has no such
 * include (it is then run as {@code m4 cf.m4 sendmail.mc}, seed 004), {@code # FEATURE(...)} is an
 * active call.
 *
 * <p>Names that the .mc itself defines are expanded when they appear bare inside arguments, as m4
 * would; macros with parameters are not.
 */
final class McReader {
  // Names that m4 calls without parentheses: cfhead.m4 defines them to switch diversions.
  private static final Set<String> BARE_MACROS =
      Set.of("divert", "changecom", "MAILER_DEFINITIONS", "LOCAL_CONFIG", "LOCAL_RULESETS",
          "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2", "LOCAL_RULE_3", "LOCAL_NET_CONFIG",
          "LOCAL_DNSBL", "LOCAL_UUCP", "LOCAL_SRV_FEATURES", "LOCAL_CLT_FEATURES", "LOCAL_TRY_TLS",
          "LOCAL_TLS_RCPT", "LOCAL_TLS_CLIENT", "LOCAL_TLS_SERVER");
  private static final Pattern CF_INCLUDE = Pattern.compile("\\bs?include\\(\\s*`?[^)\\n]*cf\\.m4");

  private final Path file;
  private final String text;
  private final Function<String, String> definitions;
  private final Deque<McEvent> ready = new ArrayDeque<>();
  private int pos;
  private int line = 1;
  private boolean comments;
  private int diversion;
  // The plain text of the current output line since the last call, and whether that output line
  // began with '#' (a comment in sendmail.cf, so nothing to report).
  private final StringBuilder raw = new StringBuilder();
  private int rawLine = 1;
  private Boolean lineIsComment;

  /**
   * @param definitions the value of a macro the .mc has defined so far, or null
   */
  McReader(Path file, String text, Function<String, String> definitions) {
    this.file = file;
    this.text = text;
    this.definitions = definitions;
    this.comments = CF_INCLUDE.matcher(text).find();
  }

  /** The next call or line of plain text, or null at the end of the file. */
  McEvent next() throws ImportException {
    while (ready.isEmpty() && pos < text.length()) {
      step();
    }
    if (ready.isEmpty()) {
      flushRaw();
    }
    return ready.poll();
  }

  private void step() throws ImportException {
    char c = text.charAt(pos);
    if (c == '`') {
      int at = line;
      String quoted = quoted();
      // Quoted text at the top level is copied out without its quotes.
      for (int i = 0; i < quoted.length(); i++) {
        plain(quoted.charAt(i), at);
        at += quoted.charAt(i) == '\n' ? 1 : 0;
      }
    } else if (comments && c == '#') {
      while (pos < text.length() && text.charAt(pos) != '\n') {
        plain(text.charAt(pos++), line);
      }
    } else if (isNameStart(c)) {
      name();
    } else {
      pos++;
      plain(c, line);
      if (c == '\n') {
        line++;
      }
    }
  }

  private void name() throws ImportException {
    int start = line;
    String word = word();
    if (word.equals("dnl")) {
      // dnl deletes the newline too; what follows is still reported by its own input line.
      skipLine();
      endLine(line);
      return;
    }
    boolean parens = pos < text.length() && text.charAt(pos) == '(';
    if (!parens && !BARE_MACROS.contains(word)) {
      raw.append(word);
      noteFirst(word.charAt(0));
      return;
    }
    boolean afterHash = !comments && Boolean.TRUE.equals(lineIsComment);
    flushRaw();
    List<String> args = parens ? arguments(word, start) : List.of();
    McEvent.Call call = new McEvent.Call(word, args, start, afterHash);
    switch (word) {
      case "divert" -> diversion = number(call.arg(0));
      case "changecom" -> comments = !args.isEmpty() && !call.arg(0).isEmpty();
      case "changequote" -> throw new ImportException(file + ":" + start + ": changequote is not supported");
      case "include", "sinclude" -> {
        if (call.arg(0).endsWith("cf.m4")) {
          // cfhead.m4 runs changecom() and cf.m4 ends in divert(0).
          comments = false;
          diversion = 0;
        }
      }
      default -> { }
    }
    ready.add(call);
    if (line != start) {
      rawLine = line;
      lineIsComment = null;
    }
  }

  private List<String> arguments(String name, int start) throws ImportException {
    List<String> args = new ArrayList<>();
    StringBuilder arg = new StringBuilder();
    int depth = 0;
    boolean leading = true;
    pos++;
    while (true) {
      if (pos >= text.length()) {
        throw new ImportException(file + ":" + start + ": " + name + "( has no closing parenthesis");
      }
      char c = text.charAt(pos);
      if (leading && Character.isWhitespace(c)) {
        advance();
        continue;
      }
      leading = false;
      if (c == '`') {
        arg.append(quoted());
      } else if (comments && c == '#') {
        // m4 keeps a comment inside an argument, commas and all.
        while (pos < text.length() && text.charAt(pos) != '\n') {
          arg.append(text.charAt(pos++));
        }
      } else if (isNameStart(c)) {
        String word = word();
        boolean call = pos < text.length() && text.charAt(pos) == '(';
        String value = word.equals("dnl") || call ? null : definitions.apply(word);
        if (word.equals("dnl")) {
          skipLine();
        } else {
          arg.append(value != null ? value : word);
        }
      } else if (c == ',' && depth == 0) {
        args.add(arg.toString());
        arg.setLength(0);
        leading = true;
        advance();
      } else if (c == ')' && depth == 0) {
        advance();
        args.add(arg.toString());
        return args;
      } else {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        arg.append(c);
        advance();
      }
    }
  }

  /** Reads {@code `...'} at pos and returns its text with the outer quotes removed. */
  private String quoted() throws ImportException {
    int open = line;
    int depth = 0;
    StringBuilder out = new StringBuilder();
    do {
      if (pos >= text.length()) {
        throw new ImportException(file + ":" + open + ": unterminated quote: the ` opened here has no closing '");
      }
      char c = text.charAt(pos);
      advance();
      if (c == '`') {
        depth++;
      } else if (c == '\'') {
        depth--;
      }
      if (depth > 1 || depth == 1 && c != '`') {
        out.append(c);
      }
    } while (depth > 0);
    return out.toString();
  }

  private String word() {
    int start = pos;
    while (pos < text.length() && (isNameStart(text.charAt(pos)) || Character.isDigit(text.charAt(pos)))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private void skipLine() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      pos++;
    }
    if (pos < text.length()) {
      advance();
    }
  }

  private void advance() {
    if (text.charAt(pos++) == '\n') {
      line++;
    }
  }

  /** One character of plain text on {@code where}'s output line. */
  private void plain(char c, int where) {
    if (c == '\n') {
      endLine(where + 1);
      return;
    }
    raw.append(c);
    noteFirst(c);
  }

  private void noteFirst(char c) {
    if (lineIsComment == null && !Character.isWhitespace(c)) {
      lineIsComment = c == '#';
    }
  }

  private void endLine(int nextLine) {
    flushRaw();
    rawLine = nextLine;
    lineIsComment = null;
  }

  private void flushRaw() {
    String t = raw.toString().strip();
    if (!t.isEmpty() && diversion >= 0 && !Boolean.TRUE.equals(lineIsComment)) {
      ready.add(new McEvent.Text(t, rawLine));
    }
    raw.setLength(0);
  }

  private static boolean isNameStart(char c) {
    return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static int number(String s) {
    try {
      return s.isEmpty() ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
