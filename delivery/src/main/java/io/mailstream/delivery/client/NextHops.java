package io.mailstream.delivery.client;

import io.mailstream.core.event.Destination;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a destination into the addresses to try, in order (RFC 5321 5.1). Kept apart from the
 * client so that MX resolution (with its tri-state answers) can be plugged in without touching it.
 */
@FunctionalInterface
public interface NextHops {

  /**
   * The addresses to try for {@code destination}, best first.
   *
   * @throws UnknownHostException when the name cannot be resolved now; delivery defers
   */
  List<InetSocketAddress> resolve(Destination destination) throws UnknownHostException;

  /**
   * The host's own addresses, without MX look-up: right for {@code [host]} destinations and smart
   * hosts, and what tests use.
   */
  static NextHops direct() {
    return d ->
        Arrays.stream(InetAddress.getAllByName(d.host()))
            .map(a -> new InetSocketAddress(a, d.port()))
            .toList();
  }
}
