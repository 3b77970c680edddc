package io.mailstream.core.rules;

import java.util.Locale;

/** How the tables compare host and domain names: without case, and without a trailing dot. */
public final class DomainNames {
  private DomainNames() {}

  /**
   * The lookup key for a domain: lower case, one trailing dot removed ({@code Example.COM.} and
   * {@code example.com} are the same name, as sendmail strips the dot before its map lookups).
   */
  public static String key(String domain) {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    return d.length() > 1 && d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /** True for {@code [192.0.2.1]} and {@code [IPv6:...]} (RFC 5321 4.1.3). */
  public static boolean isAddressLiteral(String domain) {
    return domain.startsWith("[");
  }

  /**
   * True when {@code domain} is {@code parent} or one of its subdomains, on a label boundary:
   * {@code a.example.com} is under {@code example.com}, {@code badexample.com} is not. Both are
   * keys.
   */
  public static boolean isUnder(String domain, String parent) {
    return domain.equals(parent)
        || (domain.endsWith(parent) && domain.charAt(domain.length() - parent.length() - 1) == '.');
  }
}
