package io.mailstream.core.rules;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * FEATURE(authinfo): the credentials Mailstream gives when it authenticates to a next hop, read
 * from sendmail's text format (the input of {@code makemap hash client-info.db < client-info}):
 *
 * <pre>
 * AuthInfo:smtp.isp.example "U:relay" "I:relay@isp.example" "P:secret" "M:PLAIN LOGIN"
 * AuthInfo:192.0.2.25 "U:relay" "P=c2VjcmV0"
 * AuthInfo: "U:fallback" "P:other"
 * </pre>
 *
 * Items: {@code U} the user (authorisation) id, {@code I} the authentication id, {@code P} the
 * password, {@code R} the realm, {@code M} the mechanisms allowed, separated by spaces. {@code
 * "X=..."} instead of {@code "X:..."} gives the value in base64. Either {@code U} or {@code I} must
 * be there; one stands for the other when it is missing (sendmail's getauthinfo()).
 *
 * <p>The lookup follows sendmail's {@code authinfo} ruleset: the next hop's name ({@code
 * AuthInfo:smtp.isp.example}, as in the mailertable or SMART_HOST, without brackets), then its
 * address, then the default entry {@code AuthInfo:}.
 */
public final class AuthInfo {
  private static final AuthInfo NONE = new AuthInfo(Map.of());

  /** The SASL mechanisms Mailstream can use as a client. */
  public static final List<String> SUPPORTED = List.of("PLAIN", "LOGIN");

  private static final String PREFIX = "authinfo:";

  private final Map<String, Credentials> entries;

  private AuthInfo(Map<String, Credentials> entries) {
    this.entries = Map.copyOf(entries);
  }

  /**
   * One entry. {@link #toString()} never shows the password.
   *
   * @param user the authorisation id ({@code U:})
   * @param authid the authentication id ({@code I:})
   * @param password the password ({@code P:})
   * @param realm the realm ({@code R:}), empty when not given; PLAIN and LOGIN do not use it
   * @param mechanisms the allowed mechanisms in the entry's order ({@code M:}), upper case; empty
   *     for any that Mailstream supports
   * @param where the file and line of the entry ({@code client-info:3})
   */
  public record Credentials(
      String user, String authid, String password, String realm, List<String> mechanisms, String where) {

    public Credentials {
      mechanisms = List.copyOf(mechanisms);
    }

    /**
     * The mechanism to use among those a server offered: the entry's order, else PLAIN before
     * LOGIN; empty when there is none in common.
     */
    public Optional<String> choose(List<String> offered) {
      List<String> wanted = mechanisms.isEmpty() ? SUPPORTED : mechanisms;
      for (String m : wanted) {
        if (SUPPORTED.contains(m) && offered.stream().anyMatch(o -> o.equalsIgnoreCase(m))) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "Credentials[" + where + ", authid=" + authid + "]";
    }
  }

  /** No FEATURE(authinfo): Mailstream never authenticates. */
  public static AuthInfo none() {
    return NONE;
  }

  /** Reads an authinfo file; the error names file and line. */
  public static AuthInfo load(Path file) throws MapFileException {
    return of(MapFile.read(file));
  }

  /** Builds the table from entries already read. */
  public static AuthInfo of(List<MapEntry> list) throws MapFileException {
    Map<String, Credentials> entries = new HashMap<>();
    Map<String, MapEntry> seen = new HashMap<>();
    for (MapEntry e : list) {
      String key = e.key();
      if (!key.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
        throw error(e, "expected 'AuthInfo:host', got '" + key + "'");
      }
      String target = normalize(key.substring(PREFIX.length()));
      MapEntry before = seen.put(target, e);
      if (before != null) {
        throw error(e, "duplicate entry for '" + key + "' (first at line " + before.line() + ")");
      }
      entries.put(target, parse(e));
    }
    return new AuthInfo(entries);
  }

  /** The number of entries, the default entry included. */
  public int size() {
    return entries.size();
  }

  /**
   * The credentials for a next hop: the entry for its name, else for its address, else the
   * default entry.
   *
   * @param host the next hop's name as routed (brackets and a trailing dot are ignored)
   * @param address its IP address as text, or null
   */
  public Optional<Credentials> lookup(String host, String address) {
    Credentials c = host == null ? null : entries.get(normalize(host));
    if (c == null && address != null) {
      c = entries.get(normalize(address));
    }
    if (c == null) {
      c = entries.get("");
    }
    return Optional.ofNullable(c);
  }

  private static String normalize(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.startsWith("ipv6:")) {
      h = h.substring(5);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static Credentials parse(MapEntry e) throws MapFileException {
    Map<Character, String> items = new HashMap<>();
    String v = e.value();
    int i = 0;
    while (i < v.length()) {
      char c = v.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
        continue;
      }
      if (c != '"') {
        throw error(e, "expected a quoted item like \"U:user\", got '" + v.substring(i) + "'");
      }
      int end = v.indexOf('"', i + 1);
      if (end < 0) {
        throw error(e, "unterminated quote (item " + (i + 1 < v.length() ? v.charAt(i + 1) : '?') + ")");
      }
      String item = v.substring(i + 1, end);
      i = end + 1;
      if (item.length() < 2 || (item.charAt(1) != ':' && item.charAt(1) != '=')) {
        throw error(e, "expected \"X:value\" or \"X=base64\", got \"" + redact(item) + "\"");
      }
      char letter = Character.toUpperCase(item.charAt(0));
      if ("UIPRM".indexOf(letter) < 0) {
        throw error(e, "unknown item '" + item.charAt(0) + "' (use U, I, P, R or M)");
      }
      String value = item.substring(2);
      if (item.charAt(1) == '=') {
        try {
          value = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
          throw error(e, "item " + letter + "= is not valid base64");
        }
      }
      if (items.put(letter, value) != null) {
        throw error(e, "item " + letter + " given twice");
      }
    }
    String user = items.get('U');
    String authid = items.get('I');
    if (isEmpty(user) && isEmpty(authid)) {
      throw error(e, "needs \"U:user\" or \"I:authid\"");
    }
    if (items.get('P') == null) {
      throw error(e, "needs a password (\"P:password\" or \"P=base64\")");
    }
    List<String> mechanisms = new ArrayList<>();
    String m = items.getOrDefault('M', "");
    for (String name : m.strip().split("[ \\t,]+")) {
      if (!name.isEmpty()) {
        mechanisms.add(name.toUpperCase(Locale.ROOT));
      }
    }
    if (!mechanisms.isEmpty() && mechanisms.stream().noneMatch(SUPPORTED::contains)) {
      throw error(e, "M: lists no mechanism Mailstream supports (" + String.join(", ", SUPPORTED) + "): " + m);
    }
    return new Credentials(
        isEmpty(user) ? authid : user,
        isEmpty(authid) ? user : authid,
        items.get('P'),
        items.getOrDefault('R', ""),
        mechanisms,
        e.where());
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** An item's text for an error message: a password is never shown. */
  private static String redact(String item) {
    return item.length() >= 2 && Character.toUpperCase(item.charAt(0)) == 'P' ? item.substring(0, 2) + "..." : item;
  }

  private static MapFileException error(MapEntry e, String what) {
    return new MapFileException(e.file() + ":" + e.line() + ": " + what);
  }
}
