package io.mailstream.core.config;

import java.util.Locale;

/**
 * One SMTP listener, like a sendmail {@code DAEMON_OPTIONS} line: where it listens and what it is
 * for. Written {@code ADDR:PORT [ROLE]} in config, e.g. {@code 0.0.0.0:587 msa}.
 *
 * @param address where to listen; port 0 picks a free port
 * @param role who the listener serves
 * @param implicitTls whether TLS starts with the connection (RFC 8314 port 465) instead of with
 *     STARTTLS
 */
public record Listener(HostPort address, Role role, boolean implicitTls) {

  /** What a listener is for (sendmail's {@code Name=MTA} and {@code Name=MSA, M=Ea}). */
  public enum Role {
    /** Mail exchange, normally port 25: AUTH is offered but not required. */
    MTA,
    /** Message submission (RFC 6409), normally port 587: AUTH is required before MAIL. */
    MSA
  }

  /** An MTA listener without implicit TLS. */
  public static Listener mta(HostPort address) {
    return new Listener(address, Role.MTA, false);
  }

  /**
   * Reads {@code ADDR:PORT [mta|msa|smtps]}; {@code smtps} is an MSA with implicit TLS (RFC 8314).
   * A missing port is 25 for mta, 587 for msa and 465 for smtps.
   */
  public static Listener parse(String text) {
    String t = text.strip();
    int space = t.lastIndexOf(' ');
    String roleText = space < 0 ? "mta" : t.substring(space + 1).toLowerCase(Locale.ROOT);
    String addressText = space < 0 ? t : t.substring(0, space).strip();
    return switch (roleText) {
      case "mta" -> new Listener(HostPort.parse(addressText, 25), Role.MTA, false);
      case "msa" -> new Listener(HostPort.parse(addressText, 587), Role.MSA, false);
      case "smtps" -> new Listener(HostPort.parse(addressText, 465), Role.MSA, true);
      default -> throw new IllegalArgumentException(
          "expected ADDR:PORT followed by mta, msa or smtps, got '" + text + "'");
    };
  }

  /** Whether clients must authenticate before MAIL. */
  public boolean requiresAuth() {
    return role == Role.MSA;
  }

  @Override
  public String toString() {
    return address + (implicitTls ? " smtps" : " " + role.name().toLowerCase(Locale.ROOT));
  }
}
