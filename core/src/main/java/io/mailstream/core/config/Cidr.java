package io.mailstream.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation, such as {@code 192.0.2.0/24} or {@code ::1/128}. */
public record Cidr(byte[] network, int prefixLength, String text) {
  // Dotted quads only, each part 0-255 without leading zeros: InetAddress would also take "10" as
  // 0.0.0.10 (so "10/8" meant 0.0.0.0/8) and would ask DNS for anything else, such as "cafe".
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  /** Reads {@code a.b.c.d/n} or an IPv6 equivalent; a bare address is a single host. */
  public static Cidr parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    byte[] bytes = literal(addr);
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
      }
    }
    return new Cidr(bytes, prefix, t);
  }

  private static byte[] literal(String addr) {
    try {
      if (IPV4.matcher(addr).matches()) {
        return InetAddress.getByName(addr).getAddress();
      }
      if (addr.contains(":") && addr.matches("[0-9a-fA-F.:]+")) {
        // In brackets InetAddress parses an IPv6 literal and never asks DNS.
        return InetAddress.getByName("[" + addr + "]").getAddress();
      }
    } catch (UnknownHostException e) {
      // Not a literal; reported below.
    }
    throw new IllegalArgumentException("not an IP address: '" + addr + "'");
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (a[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
