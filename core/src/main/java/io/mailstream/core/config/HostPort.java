package io.mailstream.core.config;

/**
 * A host and port as written in config and on the command line: {@code host:port}, {@code
 * [host]:port} (sendmail's brackets: no MX look-up) or {@code [::1]:25} for IPv6.
 */
public record HostPort(String host, int port, boolean bracketed) {

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
