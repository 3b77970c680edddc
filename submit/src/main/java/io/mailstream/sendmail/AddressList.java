package io.mailstream.sendmail;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of an address-list (RFC 5322 3.4) as programs write them in To, Cc and Bcc
 * fields and on sendmail's command line: {@code bob}, {@code bob@example.com}, {@code Bob
 * <bob@example.com>}, {@code "Smith, Bob" <bob@example.com> (work)}, groups such as {@code team:
 * a@x, b@y;}. Bare local parts are qualified with the node's hostname, as sendmail qualifies them
 * with $j.
 */
final class AddressList {
  private AddressList() {}

  /** The addr-specs of {@code text}, in order, each qualified with {@code domain} when bare. */
  static List<String> parse(String text, String domain) {
    List<String> out = new ArrayList<>();
    for (String element : split(text, ',')) {
      String e = element.strip();
      int colon = topLevel(e, ':');
      int angle = topLevel(e, '<');
      if (colon >= 0 && (angle < 0 || colon < angle)) {
        // A group: display-name ":" [mailbox-list] ";"
        String members = e.substring(colon + 1);
        int semi = members.lastIndexOf(';');
        out.addAll(parse(semi < 0 ? members : members.substring(0, semi), domain));
        continue;
      }
      String spec = angle >= 0 ? inAngles(e, angle) : withoutComments(e).strip();
      if (!spec.isEmpty()) {
        out.add(qualify(spec, domain));
      }
    }
    return out;
  }

  /** {@code spec} with {@code @domain} added when it has no domain; {@code <>} stays empty. */
  static String qualify(String spec, String domain) {
    String s = spec.strip();
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    if (s.isEmpty() || s.lastIndexOf('@') > s.lastIndexOf('"')) {
      return s;
    }
    return s + "@" + domain;
  }

  private static String inAngles(String e, int open) {
    int close = e.indexOf('>', open);
    String inside = close < 0 ? e.substring(open + 1) : e.substring(open + 1, close);
    // An obsolete route (RFC 5322 4.4: <@relay:user@host>) is dropped, as sendmail drops it.
    int routeEnd = inside.startsWith("@") ? inside.indexOf(':') : -1;
    return (routeEnd < 0 ? inside : inside.substring(routeEnd + 1)).strip();
  }

  /** The text without (comments), which may nest, and outside quoted strings. */
  private static String withoutComments(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        if (depth == 0) {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (quoted) {
        out.append(c);
        quoted = c != '"';
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        out.append(c);
        quoted = c == '"';
      }
    }
    return out.toString();
  }

  /** {@code s} cut at each {@code sep} outside quotes, comments and angle brackets. */
  private static List<String> split(String s, char sep) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    int depth = 0;
    boolean quoted = false;
    boolean angled = false;
    boolean group = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (quoted) {
        quoted = c != '"';
      } else if (depth > 0) {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      } else if (c == '"') {
        quoted = true;
      } else if (c == '(') {
        depth = 1;
      } else if (c == '<') {
        angled = true;
      } else if (c == '>') {
        angled = false;
      } else if (c == ':' && !angled) {
        group = true; // the commas of a group's members stay with the group
      } else if (c == ';' && group) {
        group = false;
      } else if (c == sep && !angled && !group) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  /** The index of {@code c} outside quotes and comments, or -1. */
  private static int topLevel(String s, char c) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char x = s.charAt(i);
      if (x == '\\') {
        i++;
      } else if (quoted) {
        quoted = x != '"';
      } else if (depth > 0) {
        depth += x == '(' ? 1 : x == ')' ? -1 : 0;
      } else if (x == '"') {
        quoted = true;
      } else if (x == '(') {
        depth = 1;
      } else if (x == c) {
        return i;
      }
    }
    return -1;
  }
}
