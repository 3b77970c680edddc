package io.mailstream.core.rules;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The keys of the access database, the way sendmail's LookUp rulesets walk them: an address from
 * its whole to its first component ({@code 192.168.212.7}, {@code 192.168.212}, ... {@code 192}),
 * a domain up through its parents, an address literal through its leading parts.
 *
 * <p>IPv6 keys ({@code IPv6:2002:c0a8:02c7}) compare by their 16-bit groups, not their spelling, so
 * that cf/README's {@code Connect:IPv6:2002:c0a8:02c7 RELAY} allows "the IPv6 network
 * 2002:c0a8:02c7::/48" whether the client's address is written with or without leading zeros or
 * {@code ::}. A key with {@code ::} is one whole address; without it, leading groups.
 */
final class AccessKeys {
  /** What a key names. */
  enum Kind {
    /** {@code user@} or {@code user@domain}. */
    USER,
    /** An IPv4 or IPv6 address or network. */
    ADDRESS,
    /** An address literal such as {@code [127.0.0.3]}: a client without a host name. */
    LITERAL,
    /** A host or domain name. */
    DOMAIN
  }

  private static final String V6 = "ipv6:";
  private static final Pattern IPV4_LIKE = Pattern.compile("[0-9]+(\\.[0-9]+)*\\.?");

  private AccessKeys() {}

  /**
   * The canonical form of a key without its tag: lower case, domains without a trailing dot,
   * addresses checked and IPv6 groups in one spelling.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static String normalize(String key) {
    String k = key.strip().toLowerCase(Locale.ROOT);
    if (k.isEmpty()) {
      throw new IllegalArgumentException("empty key");
    }
    if (k.contains("@")) {
      int at = k.lastIndexOf('@');
      if (at == 0) {
        throw new IllegalArgumentException("'" + key + "': expected user@, user@domain, a domain or an address");
      }
      return at == k.length() - 1 ? k : k.substring(0, at + 1) + domain(k.substring(at + 1));
    }
    if (k.startsWith("[")) {
      if (!k.endsWith("]") || k.length() < 3) {
        throw new IllegalArgumentException("'" + key + "': unterminated address literal");
      }
      return "[" + address(k.substring(1, k.length() - 1), key, true) + "]";
    }
    if (k.startsWith(V6) || IPV4_LIKE.matcher(k).matches()) {
      return address(k, key, false);
    }
    if (k.contains(":")) {
      throw new IllegalArgumentException(k.matches("[0-9a-f:]+")
          ? "'" + key + "': IPv6 addresses must be prefaced with \"IPv6:\""
          : "'" + key + "' is not a host or domain name");
    }
    return domain(k);
  }

  static Kind kind(String normalized) {
    if (normalized.contains("@")) {
      return Kind.USER;
    }
    if (normalized.startsWith("[")) {
      return Kind.LITERAL;
    }
    return normalized.startsWith(V6) || IPV4_LIKE.matcher(normalized).matches() ? Kind.ADDRESS : Kind.DOMAIN;
  }

  /** {@code 192.0.2.7}, {@code 192.0.2}, {@code 192.0}, {@code 192}: LookUpAddress's order. */
  static List<String> addressPrefixes(InetAddress address) {
    List<String> parts = components(address);
    String head = address instanceof Inet4Address ? "" : V6;
    String sep = address instanceof Inet4Address ? "." : ":";
    List<String> out = new ArrayList<>();
    for (int n = parts.size(); n > 0; n--) {
      out.add(head + String.join(sep, parts.subList(0, n)));
    }
    return out;
  }

  /** The leading parts of an address literal ({@code [192.0.2.7]}, {@code [192.0.2]}, ...). */
  static List<String> literalPrefixes(String literal) {
    String inner = literal.toLowerCase(Locale.ROOT);
    inner = inner.substring(1, inner.length() - 1);
    List<String> out = new ArrayList<>();
    String canonical;
    try {
      canonical = address(inner, literal, true);
    } catch (IllegalArgumentException e) {
      canonical = inner; // a literal no key can name: only an identical key matches
    }
    if (canonical.startsWith(V6) || IPV4_LIKE.matcher(canonical).matches()) {
      boolean v6 = canonical.startsWith(V6);
      String body = v6 ? canonical.substring(V6.length()) : canonical;
      String[] parts = body.split(v6 ? ":" : "\\.");
      for (int n = parts.length; n > 0; n--) {
        out.add("[" + (v6 ? V6 : "") + String.join(v6 ? ":" : ".", List.of(parts).subList(0, n)) + "]");
      }
    } else {
      out.add("[" + canonical + "]"); // not an IP address: only the literal itself can match
    }
    return out;
  }

  /** The client as sendmail names it when it has no host name: {@code [192.0.2.7]}. */
  static String literal(InetAddress address) {
    String head = address instanceof Inet4Address ? "[" : "[IPv6:";
    String sep = address instanceof Inet4Address ? "." : ":";
    return head + String.join(sep, components(address)) + "]";
  }

  /** {@code 192.0.2.1} as ["192", "0", "2", "1"]; an IPv6 address as its 8 groups in hex. */
  private static List<String> components(InetAddress address) {
    byte[] b = address.getAddress();
    List<String> out = new ArrayList<>();
    if (address instanceof Inet4Address) {
      for (byte x : b) {
        out.add(Integer.toString(x & 0xff));
      }
    } else {
      for (int i = 0; i < 16; i += 2) {
        out.add(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
      }
    }
    return out;
  }

  private static String domain(String d) {
    if (d.startsWith(".") && d.length() > 1) {
      throw new IllegalArgumentException(
          "'" + d + "': .domain keys need FEATURE(lookupdotdomain), which Mailstream does not have; '"
              + d.substring(1) + "' covers the domain and its subdomains");
    }
    if (d.isEmpty() || d.startsWith(".")) {
      throw new IllegalArgumentException("'" + d + "' is not a host or domain name");
    }
    return DomainNames.key(d);
  }

  private static String address(String text, String key, boolean literal) {
    if (text.startsWith(V6)) {
      return V6 + ipv6(text.substring(V6.length()), key);
    }
    if (!IPV4_LIKE.matcher(text).matches()) {
      // Another kind of literal ([UNIX:localhost]) matches only itself.
      return literal ? text : domain(text);
    }
    if (text.endsWith(".")) {
      // sendmail looks up 192.168.0 for a client in 192.168.0.x, never "192.168.0.".
      throw new IllegalArgumentException(
          "'" + key + "' ends with a dot, which never matches; write '" + key.substring(0, key.length() - 1)
              + "' for the network");
    }
    String[] parts = text.split("\\.");
    if (parts.length > 4) {
      throw new IllegalArgumentException("'" + key + "': an IPv4 address has at most 4 parts");
    }
    for (String p : parts) {
      if (p.length() > 3 || Integer.parseInt(p) > 255 || (p.length() > 1 && p.startsWith("0"))) {
        throw new IllegalArgumentException("'" + key + "': '" + p + "' is not a number from 0 to 255 without leading zeros");
      }
    }
    return text;
  }

  private static String ipv6(String text, String key) {
    String bad = "'" + key + "' is not an IPv6 address or network";
    List<String> head = new ArrayList<>();
    List<String> tail = new ArrayList<>();
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      throw new IllegalArgumentException(bad);
    }
    if (!groups(gap < 0 ? text : text.substring(0, gap), head) || (gap >= 0 && !groups(text.substring(gap + 2), tail))) {
      throw new IllegalArgumentException(bad);
    }
    if (gap < 0) {
      if (head.isEmpty() || head.size() > 8) {
        throw new IllegalArgumentException(bad);
      }
      return String.join(":", head);
    }
    if (head.size() + tail.size() > 7) {
      throw new IllegalArgumentException(bad);
    }
    List<String> all = new ArrayList<>(head);
    while (all.size() + tail.size() < 8) {
      all.add("0");
    }
    all.addAll(tail);
    return String.join(":", all);
  }

  // Hex groups of 1 to 4 digits separated by single colons, rewritten without leading zeros.
  private static boolean groups(String text, List<String> out) {
    if (text.isEmpty()) {
      return true;
    }
    for (String g : text.split(":", -1)) {
      if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return false;
      }
      out.add(Integer.toHexString(Integer.parseInt(g, 16)));
    }
    return true;
  }
}
