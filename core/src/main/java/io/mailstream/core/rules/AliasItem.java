package io.mailstream.core.rules;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One member of an alias list or an {@code :include:} file, classified the way sendmail's local
 * mailer rules do: <code>&#92;user</code>, {@code |program}, {@code /file}, {@code :include:path}, {@code
 * user@domain} or a local name.
 *
 * @param text the member as written, for messages
 * @param where the entry or file line it came from ({@code aliases:7})
 */
sealed interface AliasItem {
  String text();

  String where();

  /** A local name; aliased further. */
  record Name(String name, String text, String where) implements AliasItem {}

  /** <code>&#92;user</code>: the mailbox itself, not aliased further. */
  record NoAlias(String user, String text, String where) implements AliasItem {}

  record Remote(MailAddress address, String text, String where) implements AliasItem {}

  record Program(String command, String text, String where) implements AliasItem {}

  record File(String path, String text, String where) implements AliasItem {}

  /** {@code :include:path}; {@code base} is the directory a relative path is read from. */
  record Include(String path, Path base, String text, String where) implements AliasItem {}

  /**
   * Splits a list at the commas outside quotes, angle brackets and comments, and classifies each
   * member.
   *
   * @throws IllegalArgumentException for a member that is not an address
   */
  static List<AliasItem> parseList(String list, String where, Path base) {
    List<AliasItem> out = new ArrayList<>();
    for (String member : split(list)) {
      out.add(classify(member, where, base));
    }
    return out;
  }

  private static AliasItem classify(String member, String where, Path base) {
    String m = member;
    if (m.length() >= 2 && m.startsWith("\"") && m.endsWith("\"")) {
      // "|/usr/bin/vacation joe" and ":include:/x" are quoted to keep their spaces and commas.
      m = m.substring(1, m.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    if (m.startsWith("\\")) {
      String user = m.substring(1);
      return user.contains("@") ? remote(user, member, where) : new NoAlias(user, member, where);
    }
    if (m.startsWith("|")) {
      return new Program(m.substring(1).strip(), member, where);
    }
    if (m.startsWith("/")) {
      return new File(m, member, where);
    }
    if (m.regionMatches(true, 0, ":include:", 0, 9)) {
      String path = m.substring(9).strip();
      if (path.isEmpty()) {
        throw new IllegalArgumentException("':include:' without a file name");
      }
      return new Include(path, base, member, where);
    }
    if (m.contains("@")) {
      return remote(member, member, where);
    }
    return new Name(m, member, where);
  }

  private static AliasItem remote(String address, String text, String where) {
    try {
      return new Remote(MailAddress.parse(address), text, where);
    } catch (AddressException e) {
      throw new IllegalArgumentException("'" + text + "' is not an address: " + e.getMessage(), e);
    }
  }

  /**
   * The members of a comma-separated list, stripped, with {@code (comments)} removed and {@code
   * Name <addr>} reduced to {@code addr}. A backslash escapes the next character.
   */
  static List<String> split(String list) {
    List<String> members = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int angle = -1;
    boolean quoted = false;
    int comment = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '\\' && i + 1 < list.length()) {
        if (comment == 0) {
          cur.append(c).append(list.charAt(i + 1));
        }
        i++;
      } else if (quoted) {
        cur.append(c);
        quoted = c != '"';
      } else if (comment > 0) {
        comment += c == '(' ? 1 : c == ')' ? -1 : 0;
      } else if (c == '(') {
        comment = 1;
      } else if (c == '"') {
        cur.append(c);
        quoted = true;
      } else if (c == '<') {
        angle = cur.length();
      } else if (c == '>' && angle >= 0) {
        cur.delete(0, angle);
        angle = -2;
      } else if (c == ',') {
        add(members, cur);
        angle = -1;
      } else if (angle != -2) {
        cur.append(c);
      }
    }
    add(members, cur);
    return members;
  }

  private static void add(List<String> members, StringBuilder cur) {
    String m = cur.toString().strip();
    if (!m.isEmpty()) {
      members.add(m);
    }
    cur.setLength(0);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
