package io.mailstream.core.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The admin endpoint ({@code admin:} in mailstream.yaml): where it listens, and where its token is.
 *
 * @param listen the address to listen on; port 0 takes a free port (the default, on loopback: the
 *     commands find it through {@code <data-dir>/admin.address})
 * @param tokenFile a file holding the token that orders and reloads need, or null for a new random
 *     token in {@code <data-dir>/admin.token} at every start
 */
public record AdminSettings(HostPort listen, Path tokenFile) {
  /** Loopback, a free port, a new token at each start. */
  public static final AdminSettings DEFAULT = new AdminSettings(new HostPort("127.0.0.1", 0, false), null);

  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+");

  /**
   * Reads {@code admin.listen}: {@code ADDRESS:PORT} or {@code [IPv6]:PORT}, port 0 for a free one.
   * The endpoint can change the queue (with its token) and shows envelopes to anyone who reaches it,
   * so the address is never guessed: a missing port or a URL is refused.
   */
  public static HostPort listen(String text) {
    String t = text.strip();
    if (t.contains("://")) {
      throw new IllegalArgumentException("a URL is not a listen address: write ADDRESS:PORT, got '" + t + "'");
    }
    boolean hasPort = t.startsWith("[") ? t.contains("]:") : t.lastIndexOf(':') >= 0;
    if (!hasPort) {
      throw new IllegalArgumentException("expected ADDRESS:PORT (port 0 for a free one), got '" + t + "'");
    }
    HostPort hp = HostPort.parse(t, 0);
    if (!ADDRESS.matcher(hp.host()).matches()) {
      throw new IllegalArgumentException("not an address to listen on: '" + hp.host() + "'");
    }
    return hp;
  }
}
