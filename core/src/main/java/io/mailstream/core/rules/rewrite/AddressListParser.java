package io.mailstream.core.rules.rewrite;

import io.mailstream.core.address.MailAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the addr-specs in an address-list header body (RFC 5322 3.4), working on octets so that
 * every address keeps its exact offsets. Display names, comments, quoted strings and groups are
 * read and skipped; 8-bit octets count as atom text. Accepted beyond RFC 5322, because sendmail
 * accepts them: unqualified addresses ({@code root}, {@code <root>}), empty list elements (RFC 5322
 * 4.4), obsolete routes ({@code <@a.example:u@b.example>}) and a trailing dot on the domain.
 */
final class AddressListParser {
  /** An addr-spec found in the field: its octet range and the address it spells. */
  record Found(int start, int end, MailAddress address, boolean contiguous) {}

  /** The field cannot be read as an address list; it must be left as it is. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  private enum Kind { ATOM, QUOTED, LITERAL, SPECIAL }

  private record Token(Kind kind, int start, int end, char special) {}

  private final byte[] b;
  private final List<Token> tokens;
  private int i;

  private AddressListParser(byte[] b, List<Token> tokens) {
    this.b = b;
    this.tokens = tokens;
  }

  /** The addresses in {@code b[start, end)}, in order. */
  static List<Found> parse(byte[] b, int start, int end) throws ParseException {
    AddressListParser p = new AddressListParser(b, tokenize(b, start, end));
    List<Found> out = new ArrayList<>();
    p.addressList(out);
    return out;
  }

  private void addressList(List<Found> out) throws ParseException {
    while (true) {
      while (isSpecial(',')) {
        i++;
      }
      if (i == tokens.size()) {
        return;
      }
      address(out);
      if (i == tokens.size()) {
        return;
      }
      expect(',');
    }
  }

  private void address(List<Found> out) throws ParseException {
    int phrase = i;
    skipWords();
    if (i > phrase && isSpecial(':')) {
      i++;
      group(out);
      return;
    }
    i = phrase;
    mailbox(out);
  }

  // RFC 5322 3.4: group = display-name ":" [group-list] ";" [CFWS]
  private void group(List<Found> out) throws ParseException {
    while (true) {
      while (isSpecial(',')) {
        i++;
      }
      if (isSpecial(';')) {
        i++;
        return;
      }
      if (i == tokens.size()) {
        throw new ParseException("group without ';'");
      }
      mailbox(out);
      if (!isSpecial(';')) {
        expect(',');
      }
    }
  }

  private void mailbox(List<Found> out) throws ParseException {
    int phrase = i;
    skipWords();
    if (!isSpecial('<')) {
      i = phrase;
      out.add(addrSpec());
      return;
    }
    i++;
    if (isSpecial('@')) {
      // RFC 5322 4.4 obs-route: skip "@a.example,@b.example:" up to the colon.
      while (i < tokens.size() && !isSpecial(':') && !isSpecial('>')) {
        i++;
      }
      expect(':');
    }
    if (isSpecial('>')) {
      i++; // <>: the null path, nothing to rewrite
      return;
    }
    out.add(addrSpec());
    expect('>');
  }

  // addr-spec = local-part ["@" domain]; the domain is optional for sendmail's unqualified names.
  private Found addrSpec() throws ParseException {
    int first = i;
    word("local part");
    while (isSpecial('.')) {
      i++;
      word("local part after '.'");
    }
    int localEnd = i;
    String domain = null;
    if (isSpecial('@')) {
      i++;
      int domainStart = i;
      if (i < tokens.size() && tokens.get(i).kind() == Kind.LITERAL) {
        i++;
      } else {
        atom("domain");
        while (isSpecial('.')) {
          i++;
          if (!isAtom()) {
            break; // a trailing dot: "user@example.com."
          }
          i++;
        }
      }
      domain = text(domainStart, i);
    }
    String local = text(first, localEnd);
    MailAddress address = new MailAddress(local, domain);
    return new Found(tokens.get(first).start(), tokens.get(i - 1).end(), address, contiguous(first, i));
  }

  private void skipWords() {
    while (isWord() || isSpecial('.')) {
      i++;
    }
  }

  private void word(String what) throws ParseException {
    if (isWord()) {
      i++;
      return;
    }
    throw new ParseException("expected " + what + ", found " + describe());
  }

  private void atom(String what) throws ParseException {
    if (!isAtom()) {
      throw new ParseException("expected " + what + ", found " + describe());
    }
    i++;
  }

  private boolean isWord() {
    return i < tokens.size() && (tokens.get(i).kind() == Kind.ATOM || tokens.get(i).kind() == Kind.QUOTED);
  }

  private boolean isAtom() {
    return i < tokens.size() && tokens.get(i).kind() == Kind.ATOM;
  }

  private boolean isSpecial(char c) {
    return i < tokens.size() && tokens.get(i).kind() == Kind.SPECIAL && tokens.get(i).special() == c;
  }

  private void expect(char c) throws ParseException {
    if (!isSpecial(c)) {
      throw new ParseException("expected '" + c + "', found " + describe());
    }
    i++;
  }

  private String describe() {
    if (i == tokens.size()) {
      return "end of field";
    }
    Token t = tokens.get(i);
    return "'" + new String(b, t.start(), t.end() - t.start(), StandardCharsets.UTF_8) + "'";
  }

  /** The tokens from {@code from} to {@code to} as one string, without the CFWS between them. */
  private String text(int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int k = from; k < to; k++) {
      Token t = tokens.get(k);
      s.append(new String(b, t.start(), t.end() - t.start(), StandardCharsets.UTF_8));
    }
    return s.toString();
  }

  private boolean contiguous(int from, int to) {
    for (int k = from + 1; k < to; k++) {
      if (tokens.get(k - 1).end() != tokens.get(k).start()) {
        return false;
      }
    }
    return true;
  }

  private static List<Token> tokenize(byte[] b, int start, int end) throws ParseException {
    List<Token> out = new ArrayList<>();
    int i = start;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
      } else if (c == '(') {
        i = skipComment(b, i, end);
      } else if (c == '"') {
        int close = closing(b, i, end, '"', "unterminated quoted string");
        out.add(new Token(Kind.QUOTED, i, close + 1, '"'));
        i = close + 1;
      } else if (c == '[') {
        int close = closing(b, i, end, ']', "unterminated domain literal");
        out.add(new Token(Kind.LITERAL, i, close + 1, '['));
        i = close + 1;
      } else if ("<>:;@,.)]\\".indexOf(c) >= 0) {
        out.add(new Token(Kind.SPECIAL, i, i + 1, (char) c));
        i++;
      } else if (isAtext(c)) {
        int s = i;
        while (i < end && isAtext(b[i] & 0xff)) {
          i++;
        }
        out.add(new Token(Kind.ATOM, s, i, ' '));
      } else {
        throw new ParseException(String.format("control character 0x%02x", c));
      }
    }
    return out;
  }

  /** RFC 5322 3.2.2: comments nest and may hold quoted pairs. */
  private static int skipComment(byte[] b, int i, int end) throws ParseException {
    int depth = 0;
    for (; i < end; i++) {
      if (b[i] == '\\') {
        i++;
      } else if (b[i] == '(') {
        depth++;
      } else if (b[i] == ')' && --depth == 0) {
        return i + 1;
      }
    }
    throw new ParseException("unterminated comment");
  }

  private static int closing(byte[] b, int open, int end, char close, String error) throws ParseException {
    for (int i = open + 1; i < end; i++) {
      if (b[i] == '\\') {
        i++;
      } else if (b[i] == close) {
        return i;
      } else if (close == ']' && b[i] == '[') {
        break;
      }
    }
    throw new ParseException(error);
  }

  // RFC 5322 3.2.3 atext, plus every 8-bit octet (RFC 6532 UTF-8, or raw 8-bit text in the wild).
  private static boolean isAtext(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
        || c >= 0x80;
  }
}
