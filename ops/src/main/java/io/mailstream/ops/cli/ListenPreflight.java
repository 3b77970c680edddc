package io.mailstream.ops.cli;

import io.mailstream.core.config.Listener;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds each configured SMTP listener once with a plain socket and lets it go, before Kafka starts:
 * an address in use or a port the process may not bind then stops the start with one line instead
 * of a stack trace from the ingress after the broker, topics and workers are up. The admin HTTP
 * endpoint is not checked: it always takes a free loopback port.
 *
 * <p>Port 0 (any free port) cannot be refused and is skipped. Like the ingress, the check sets
 * SO_REUSEADDR (the JDK's default on Unix), so connections in TIME_WAIT from a previous run do not
 * count as "in use".
 */
final class ListenPreflight {
  /** The hint for a refused privileged port; sendmail runs as root, Mailstream need not. */
  static final String PRIVILEGED_PORT_HINT =
      "ports below 1024 need root or CAP_NET_BIND_SERVICE"
          + " (setcap 'cap_net_bind_service=+ep' on java, or systemd AmbientCapabilities)";

  private ListenPreflight() {}

  /** The first listener that cannot be bound, as one line ({@code listen: ADDR:PORT ROLE: why}). */
  static Optional<String> check(List<Listener> listeners) {
    for (Listener l : listeners) {
      Optional<String> why = tryBind(l);
      if (why.isPresent()) {
        return Optional.of("listen: " + l + ": " + why.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> tryBind(Listener l) {
    int port = l.address().port();
    if (port == 0) {
      return Optional.empty();
    }
    InetSocketAddress address = new InetSocketAddress(l.address().host(), port);
    if (address.isUnresolved()) {
      return Optional.of("cannot resolve " + l.address().host());
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
      return Optional.empty();
    } catch (BindException e) {
      return Optional.of(bindFailure(e, port));
    } catch (IOException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  // The JDK passes on strerror(3): EADDRINUSE, EACCES and EADDRNOTAVAIL are the ones a
  // configuration causes.
  private static String bindFailure(BindException e, int port) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("already in use")) {
      return "address already in use (another process listens there)";
    }
    if (m.contains("permission denied")) {
      return port < 1024 ? "permission denied: " + PRIVILEGED_PORT_HINT : "permission denied";
    }
    if (m.contains("cannot assign requested address")) {
      return "address not available (no interface of this machine has it)";
    }
    return m;
  }
}
