package io.mailstream.core.config;

import java.util.regex.Pattern;

/**
 * A host and port as written in config and on the command line: {@code host:port}, {@code
 * [host]:port} (sendmail's brackets: no MX look-up) or {@code [::1]:25} for IPv6.
 */
public record HostPort(String host, int port, boolean bracketed) {

  // RFC 1123 host names (with sendmail's tolerance for '_'), an IPv4 address, or in brackets an
  // IPv6 literal.
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /**
   * A host to connect to ({@code --smart-host}): as {@link #parse}, and the host must be a name or
   * an address and the port 1-65535, so that {@code foo bar}, port 0 or a URL stop the start with
   * one line instead of deferring every message.
   */
  public static HostPort nextHop(String text, int defaultPort) {
    if (text.contains("://")) {
      throw new IllegalArgumentException(
          "a URL is not a host: write HOST:PORT or [HOST]:PORT, got '" + text.strip() + "'");
    }
    HostPort hp = parse(text, defaultPort);
    if (hp.port == 0) {
      throw new IllegalArgumentException("port 0 in '" + text.strip() + "': a next hop needs a port from 1 to 65535");
    }
    if (!NAME.matcher(hp.host).matches() && !(hp.bracketed && IPV6.matcher(hp.host).matches())) {
      throw new IllegalArgumentException("not a host name or address: '" + hp.host + "'");
    }
    return hp;
  }

  /** Reads {@code text}; a missing port becomes {@code defaultPort}. */
  public static HostPort parse(String text, int defaultPort) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("expected HOST:PORT, got an empty value");
    }
    String host;
    String portText = null;
    boolean bracketed = false;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in '" + text + "'");
      }
      host = t.substring(1, close);
      bracketed = true;
      String rest = t.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':PORT' after ']' in '" + text + "'");
        }
        portText = rest.substring(1);
      }
    } else {
      int colon = t.lastIndexOf(':');
      if (colon >= 0 && t.indexOf(':') != colon) {
        throw new IllegalArgumentException("IPv6 addresses need brackets: '[" + t + "]:PORT'");
      }
      host = colon < 0 ? t : t.substring(0, colon);
      portText = colon < 0 ? null : t.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host in '" + text + "'");
    }
    int port = defaultPort;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port is not a number in '" + text + "'");
      }
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range in '" + text + "'");
    }
    return new HostPort(host, port, bracketed);
  }

  @Override
  public String toString() {
    return (bracketed || host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
