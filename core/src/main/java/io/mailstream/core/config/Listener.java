package io.mailstream.core.config;

import java.util.Locale;

/**
 * One SMTP listener, like a sendmail {@code DAEMON_OPTIONS} line: where it listens and what it is
 * for. Written {@code ADDR:PORT [ROLE] [proxy]} in config, e.g. {@code 0.0.0.0:587 msa} or {@code
 * 0.0.0.0:25 mta proxy}.
 *
 * @param address where to listen; port 0 picks a free port
 * @param role who the listener serves
 * @param implicitTls whether TLS starts with the connection (RFC 8314 port 465) instead of with
 *     STARTTLS
 * @param proxyProtocol whether every connection starts with an HAProxy PROXY header (v1 or v2)
 *     from a trusted load balancer, naming the real client (Postfix's
 *     smtpd_upstream_proxy_protocol)
 */
public record Listener(HostPort address, Role role, boolean implicitTls, boolean proxyProtocol) {

  /** What a listener is for (sendmail's {@code Name=MTA} and {@code Name=MSA, M=Ea}). */
  public enum Role {
    /** Mail exchange, normally port 25: AUTH is offered but not required. */
    MTA,
    /** Message submission (RFC 6409), normally port 587: AUTH is required before MAIL. */
    MSA
  }

  /** An MTA listener without implicit TLS. */
  public static Listener mta(HostPort address) {
    return new Listener(address, Role.MTA, false, false);
  }

  /**
   * Reads {@code ADDR:PORT [mta|msa|smtps] [proxy]}; {@code smtps} is an MSA with implicit TLS (RFC
   * 8314). A missing port is 25 for mta, 587 for msa and 465 for smtps.
   */
  public static Listener parse(String text) {
    String[] words = text.strip().split("\\s+");
    String roleText = "mta";
    boolean proxy = false;
    for (int i = 1; i < words.length; i++) {
      String w = words[i].toLowerCase(Locale.ROOT);
      if (w.equals("proxy") && !proxy) {
        proxy = true;
      } else if (i == 1 && !w.equals("proxy")) {
        roleText = w;
      } else {
        throw new IllegalArgumentException(
            "expected ADDR:PORT followed by mta, msa or smtps and optionally proxy, got '" + text.strip() + "'");
      }
    }
    String addressText = words[0];
    return switch (roleText) {
      case "mta" -> new Listener(HostPort.parse(addressText, 25), Role.MTA, false, proxy);
      case "msa" -> new Listener(HostPort.parse(addressText, 587), Role.MSA, false, proxy);
      case "smtps" -> new Listener(HostPort.parse(addressText, 465), Role.MSA, true, proxy);
      default -> throw new IllegalArgumentException(
          "expected ADDR:PORT followed by mta, msa or smtps and optionally proxy, got '" + text.strip() + "'");
    };
  }

  /** Whether clients must authenticate before MAIL. */
  public boolean requiresAuth() {
    return role == Role.MSA;
  }

  @Override
  public String toString() {
    return address + (implicitTls ? " smtps" : " " + role.name().toLowerCase(Locale.ROOT)) + (proxyProtocol ? " proxy" : "");
  }
}
