package io.mailstream.ingress.server;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The address of the client a connection serves: the socket's peer, or, on a {@code proxy}
 * listener, the client the trusted load balancer's PROXY header named. Relay rules, access
 * entries, connection limits, logs and Received headers all take it from here.
 */
final class ClientAddress {
  /** Set by {@link ProxyHeaderHandler} once a trusted proxy has named the client. */
  static final AttributeKey<InetAddress> PROXIED = AttributeKey.valueOf("mailstream.proxied-client");

  private ClientAddress() {}

  /** The client's address; null for a connection that is not over IP. */
  static InetAddress of(Channel channel) {
    InetAddress proxied = channel.attr(PROXIED).get();
    return proxied != null ? proxied : peer(channel);
  }

  /** The address at the other end of the socket itself. */
  static InetAddress peer(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
  }
}
