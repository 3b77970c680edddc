package io.mailstream.core.event;

import java.util.Locale;

/**
 * Where the router sends a group of recipients: sendmail's mailer and host of the delivery
 * triple. For the local mailer the host is null.
 *
 * @param mailer the mailer name as in sendmail's mailertable: {@code relay}, {@code esmtp}, {@code
 *     smtp}, {@code smtp8}, {@code dsmtp} or {@code local}
 * @param host the next hop host or IP address; without brackets
 * @param port the TCP port to connect to
 * @param mxLookup whether delivery looks up MX records for host (false for {@code [host]})
 */
public record Destination(String mailer, String host, int port, boolean mxLookup) {

  public static final String LOCAL = "local";

  /**
   * Not a mailer: the router could not decide yet (a map it could not read, an :include: file
   * missing). Delivery keeps such recipients in its retry state and, when they are due, hands the
   * message back to the router, so a temporary routing failure is retried like a temporary
   * delivery failure and never loses a recipient.
   */
  public static final String REROUTE = "reroute";

  public static Destination local() {
    return new Destination(LOCAL, null, 0, false);
  }

  public static Destination reroute() {
    return new Destination(REROUTE, null, 0, false);
  }

  public boolean isLocal() {
    return LOCAL.equals(mailer);
  }

  public boolean isReroute() {
    return REROUTE.equals(mailer);
  }

  /** A stable text for keys, logs and connection pools: {@code relay:[smtp.example]:25}. */
  public String key() {
    if (host == null) {
      return mailer;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return mailer + ":" + (mxLookup ? h : "[" + h + "]") + ":" + port;
  }
}
