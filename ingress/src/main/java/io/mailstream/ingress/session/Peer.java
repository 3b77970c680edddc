package io.mailstream.ingress.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The client at the other end of the connection.
 *
 * @param address its IP address, which the relay rule is checked against
 * @param hostname its forward-confirmed name from reverse DNS, or null when it has none: the only
 *     name that rules (class w, class R, access {@code Connect:} entries) may match
 * @param localUser the local user who submitted over the {@code sendmail} command's socket, as its
 *     peer credentials name them; null for a network client. Relay rules and access entries do not
 *     apply to such a user, as they do not to sendmail's {@code -bm}.
 */
public record Peer(InetAddress address, String hostname, String localUser) {
  public Peer {
    Objects.requireNonNull(address, "address");
  }

  /** A network client. */
  public Peer(InetAddress address, String hostname) {
    this(address, hostname, null);
  }

  /** A local user submitting through the {@code sendmail} command (the loopback address stands in). */
  public static Peer localUser(String user) {
    return new Peer(InetAddress.getLoopbackAddress(), null, Objects.requireNonNull(user, "user"));
  }

  /** Whether this is a local user's submission rather than a network client. */
  public boolean isLocalSubmission() {
    return localUser != null;
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

  /**
   * The name to show in the Received header and the mail log: the confirmed name, else {@code
   * localhost} for a loopback address (what every hosts file says, so it is not looked up), else
   * null. It is for people to read only: a loopback client could be a proxy or a load balancer
   * passing on anyone's mail, so no rule may trust it.
   */
  public String displayName() {
    if (hostname != null) {
      return hostname;
    }
    return address.isLoopbackAddress() ? "localhost" : null;
  }

  /**
   * As sendmail logs a relay: {@code host.example [192.0.2.1]} or {@code [192.0.2.1]}; for a local
   * submission {@code user@localhost}, as sendmail logs mail from {@code -bm}.
   */
  public String relay() {
    if (localUser != null) {
      return localUser + "@localhost";
    }
    String name = displayName();
    return name == null ? "[" + ip() + "]" : name + " [" + ip() + "]";
  }
}
