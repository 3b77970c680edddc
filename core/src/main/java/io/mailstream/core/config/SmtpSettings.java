package io.mailstream.core.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the ingress talks to clients: its banner, ESMTP extensions, TLS and AUTH, and sendmail's
 * anti-abuse controls. Everything here is per node; the access database and tables are in {@link
 * RoutingSettings}.
 *
 * @param banner the 220 greeting after the code, with {@code $j} for the hostname (sendmail's
 *     confSMTP_LOGIN_MSG); RFC 5321 4.2 wants the hostname first
 * @param greetPause how long the server waits before the banner; a client that talks first is
 *     refused (FEATURE(greet_pause)); zero for none
 * @param commandTimeout how long the server waits for the client's next command, or for the next
 *     piece of a message in DATA or BDAT, before it answers {@code 421 4.4.2} and closes (sendmail's
 *     confTO_COMMAND and confTO_DATABLOCK in one; RFC 5321 4.5.3.2.7 suggests 5 minutes)
 * @param badRcptThrottle refused recipients in a session after which every further RCPT is
 *     answered slowly (one second each, confBAD_RCPT_THROTTLE); zero for none
 * @param connectionRateThrottle connections per client address per minute before new ones are
 *     refused with 421 (confCONNECTION_RATE_THROTTLE); zero for none
 * @param maxConnections concurrent connections in all before new ones get 421
 *     (confMAX_DAEMON_CHILDREN)
 * @param maxConnectionsPerIp concurrent connections from one client address before new ones get
 *     421 (ClientRate's sibling, Postfix's smtpd_client_connection_count_limit)
 * @param privacy sendmail's confPRIVACY_FLAGS
 * @param maxLineLength octets in one line of message text (RFC 5321 4.5.3.1.6 allows 1000);
 *     longer lines up to this are relayed unchanged, beyond it the message is refused
 * @param smtputf8 whether SMTPUTF8 (RFC 6531) is offered
 * @param dsn whether DSN (RFC 3461) is offered
 * @param chunking whether CHUNKING (BDAT, RFC 3030) is offered
 * @param tls the certificate for STARTTLS and implicit TLS
 * @param auth the users who may authenticate
 * @param reverseDns whether the client's name is looked up when it connects (PTR, confirmed by a
 *     forward look-up), as sendmail does, for Received headers, logs and {@code Connect:} entries
 * @param trustedProxies the load balancers whose PROXY headers a {@code proxy} listener believes;
 *     a connection from anywhere else to such a listener is closed
 * @param minFreeSpace octets that must stay free on the file system of the data directory
 *     (sendmail's confMIN_FREE_BLOCKS): below it MAIL and the end of DATA get {@code 452 4.3.1};
 *     zero for no floor
 */
public record SmtpSettings(
    String banner,
    Duration greetPause,
    Duration commandTimeout,
    int badRcptThrottle,
    int connectionRateThrottle,
    int maxConnections,
    int maxConnectionsPerIp,
    Set<PrivacyFlag> privacy,
    int maxLineLength,
    boolean smtputf8,
    boolean dsn,
    boolean chunking,
    TlsSettings tls,
    AuthSettings auth,
    boolean reverseDns,
    List<Cidr> trustedProxies,
    long minFreeSpace) {
  /** The default floor: room for a few of the largest messages in flight and Kafka's own writes. */
  public static final long DEFAULT_MIN_FREE_SPACE = 100L * 1024 * 1024;

  /** RFC 5321 4.5.3.2.7: a server should wait at least 5 minutes for the next command. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(5);

  /**
   * The shortest {@code smtp.command-timeout}: sendmail and Postfix take any value, and a second
   * lets a test or a relay behind a load balancer's health checks drop silent clients quickly;
   * below it a busy client's own pauses between writes would cut it off.
   */
  public static final Duration MIN_COMMAND_TIMEOUT = Duration.ofSeconds(1);

  /**
   * The longest {@code smtp.command-timeout}: sendmail's own default (Timeout.command) is an hour;
   * beyond two hours a silent client holds a connection slot of {@code smtp.max-connections} for
   * no client that still means to talk.
   */
  public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofHours(2);

  public SmtpSettings {
    privacy = Set.copyOf(privacy);
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** Whether {@code address} is a load balancer whose PROXY header is to be believed. */
  public boolean trustsProxy(InetAddress address) {
    return trustedProxies.stream().anyMatch(c -> c.contains(address));
  }

  /** The banner with {@code $j} replaced by the hostname. */
  public String banner(String hostname) {
    return banner.replace("$j", hostname);
  }

  public boolean has(PrivacyFlag flag) {
    return privacy.contains(flag);
  }
}
