package io.mailstream.ingress.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The client at the other end of the connection.
 *
 * @param address its IP address, which the relay rule is checked against
 * @param hostname its name from reverse DNS, or null when unknown
 */
public record Peer(InetAddress address, String hostname) {
  public Peer {
    Objects.requireNonNull(address, "address");
  }

  /** The address as text, without brackets or IPv6 scope. */
  public String ip() {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    return scope < 0 ? text : text.substring(0, scope);
  }

  /** The RFC 5321 4.1.3 address literal: {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
  public String addressLiteral() {
    return address instanceof Inet6Address ? "[IPv6:" + ip() + "]" : "[" + ip() + "]";
  }

  /** As sendmail logs a relay: {@code host.example [192.0.2.1]} or {@code [192.0.2.1]}. */
  public String relay() {
    return hostname == null ? "[" + ip() + "]" : hostname + " [" + ip() + "]";
  }
}
