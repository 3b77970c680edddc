package io.mailstream.core.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The local submission channel that the {@code sendmail} command writes to: a Unix domain socket
 * any local user may connect to, whose peer credentials name the submitting user. Relay rules do
 * not govern it (sendmail's {@code -bm} is not an SMTP client either), so tightening {@code
 * relay-from} never breaks cron's mail.
 *
 * @param socket the socket's path; null for {@code <data-dir>/submit.sock}
 * @param offline what the command does when the node does not answer: keep the message in its
 *     local spool for a later invocation, or fail with EX_TEMPFAIL (75) so the caller keeps it
 */
public record SubmitSettings(Path socket, Offline offline) {
  /** The socket under the data directory, spooling while the node is down. */
  public static final SubmitSettings DEFAULT = new SubmitSettings(null, Offline.SPOOL);

  /**
   * The longest socket path the kernel takes: {@code sun_path} holds 108 octets with its NUL
   * (unix(7)); a longer one cannot be bound.
   */
  public static final int MAX_SOCKET_PATH = 107;

  /** What the command does with a message while the node is unreachable. */
  public enum Offline {
    SPOOL,
    TEMPFAIL;

    /** {@code spool} or {@code tempfail}, as the config file spells them. */
    public static Offline parse(String text) {
      return switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "spool" -> SPOOL;
        case "tempfail" -> TEMPFAIL;
        default -> throw new IllegalArgumentException("expected spool or tempfail, got '" + text.strip() + "'");
      };
    }

    /** The config file's spelling. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The socket path for a node whose data directory is {@code dataDir}, absolute. */
  public Path socketIn(Path dataDir) {
    return (socket != null ? socket : dataDir.resolve("submit.sock")).toAbsolutePath().normalize();
  }

  /** Whether the kernel can bind {@code path}: at most {@link #MAX_SOCKET_PATH} octets. */
  static boolean bindable(Path path) {
    return path.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
  }
}
