package io.mailstream.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Collects the {@code smtp}, {@code tls} and {@code auth} sections; see {@link SmtpSettings}. */
public final class SmtpBuilder {
  private String banner = "$j ESMTP Mailstream";
  private Duration greetPause = Duration.ZERO;
  private Duration commandTimeout = SmtpSettings.DEFAULT_COMMAND_TIMEOUT;
  private int badRcptThrottle;
  private int connectionRateThrottle;
  // sendmail has no limit by default; a relay should have one, high enough never to bother a
  // legitimate peer (Postfix's default process limit is 100, its per-client limit 50).
  private int maxConnections = 1000;
  private int maxConnectionsPerIp = 50;
  private Set<PrivacyFlag> privacy = EnumSet.of(PrivacyFlag.AUTHWARNINGS, PrivacyFlag.NOVRFY, PrivacyFlag.NOEXPN);
  private int maxLineLength = 65536;
  private boolean smtputf8 = true;
  private boolean dsn = true;
  private boolean chunking = true;
  private Path certificate;
  private Path key;
  private Path usersFile;
  private boolean allowPlaintextAuth;
  private boolean reverseDns = true;
  private List<Cidr> trustedProxies = List.of();
  private long minFreeSpace = SmtpSettings.DEFAULT_MIN_FREE_SPACE;

  SmtpBuilder() {}

  public SmtpBuilder banner(String v) {
    String b = v.strip();
    // RFC 5321 4.2: the greeting starts with the server's name; sendmail warns when $j is not
    // first in confSMTP_LOGIN_MSG, we refuse.
    if (!b.startsWith("$j")) {
      throw new IllegalArgumentException("smtp.banner: must start with $j (the hostname), got '" + v + "'");
    }
    if (b.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw new IllegalArgumentException("smtp.banner: only printable ASCII is allowed");
    }
    banner = b;
    return this;
  }

  public SmtpBuilder greetPause(String v) {
    greetPause = duration("smtp.greet-pause", v);
    return this;
  }

  /** {@code smtp.command-timeout}, from {@link SmtpSettings#MIN_COMMAND_TIMEOUT} to {@link SmtpSettings#MAX_COMMAND_TIMEOUT}. */
  public SmtpBuilder commandTimeout(String v) {
    Duration d = duration("smtp.command-timeout", v);
    if (d.compareTo(SmtpSettings.MIN_COMMAND_TIMEOUT) < 0 || d.compareTo(SmtpSettings.MAX_COMMAND_TIMEOUT) > 0) {
      throw new IllegalArgumentException("smtp.command-timeout: must be from 1s to 2h, got '" + v.strip() + "'");
    }
    commandTimeout = d;
    return this;
  }

  public SmtpBuilder badRcptThrottle(int v) {
    badRcptThrottle = atLeastZero("smtp.bad-rcpt-throttle", v);
    return this;
  }

  public SmtpBuilder connectionRateThrottle(int v) {
    connectionRateThrottle = atLeastZero("smtp.connection-rate-throttle", v);
    return this;
  }

  public SmtpBuilder maxConnections(int v) {
    maxConnections = atLeastOne("smtp.max-connections", v);
    return this;
  }

  public SmtpBuilder maxConnectionsPerIp(int v) {
    maxConnectionsPerIp = atLeastOne("smtp.max-connections-per-ip", v);
    return this;
  }

  public SmtpBuilder privacy(List<String> v) {
    try {
      privacy = PrivacyFlag.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("smtp.privacy: " + e.getMessage(), e);
    }
    return this;
  }

  public SmtpBuilder maxLineLength(int v) {
    // RFC 5321 4.5.3.1.6: 1000 octets including CRLF must always be accepted.
    if (v < 1000) {
      throw new IllegalArgumentException("smtp.max-line-length: RFC 5321 requires at least 1000, got " + v);
    }
    maxLineLength = v;
    return this;
  }

  public SmtpBuilder smtputf8(boolean v) {
    smtputf8 = v;
    return this;
  }

  public SmtpBuilder dsn(boolean v) {
    dsn = v;
    return this;
  }

  public SmtpBuilder chunking(boolean v) {
    chunking = v;
    return this;
  }

  public SmtpBuilder certificate(Path v) {
    certificate = v;
    return this;
  }

  public SmtpBuilder key(Path v) {
    key = v;
    return this;
  }

  public SmtpBuilder usersFile(Path v) {
    usersFile = v;
    return this;
  }

  public SmtpBuilder trustedProxies(List<String> v) {
    List<Cidr> cidrs = new ArrayList<>();
    for (String text : v) {
      try {
        cidrs.add(Cidr.parse(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("smtp.trusted-proxies: " + e.getMessage(), e);
      }
    }
    trustedProxies = List.copyOf(cidrs);
    return this;
  }

  public SmtpBuilder reverseDns(boolean v) {
    reverseDns = v;
    return this;
  }

  /** sendmail's confMIN_FREE_BLOCKS, in octets; 0 turns the check off. */
  public SmtpBuilder minFreeSpace(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("smtp.min-free-space: must be at least 0, got " + v);
    }
    minFreeSpace = v;
    return this;
  }

  public SmtpBuilder allowPlaintextAuth(boolean v) {
    allowPlaintextAuth = v;
    return this;
  }

  /** Checks the settings together; {@code listeners} tell whether TLS or AUTH is needed. */
  SmtpSettings build(List<Listener> listeners) throws ConfigException {
    if ((certificate == null) != (key == null)) {
      throw new ConfigException(
          certificate == null ? "tls.key is set but tls.cert is not" : "tls.cert is set but tls.key is not");
    }
    for (Listener l : listeners) {
      if (l.implicitTls() && certificate == null) {
        throw new ConfigException("listen: " + l + " needs tls.cert and tls.key");
      }
      if (l.proxyProtocol() && trustedProxies.isEmpty()) {
        throw new ConfigException("listen: " + l + " needs smtp.trusted-proxies, the load balancers it takes PROXY headers from");
      }
      if (l.requiresAuth() && usersFile == null) {
        throw new ConfigException("listen: " + l + " requires AUTH, so auth.users must be set");
      }
    }
    return new SmtpSettings(
        banner,
        greetPause,
        commandTimeout,
        badRcptThrottle,
        connectionRateThrottle,
        maxConnections,
        maxConnectionsPerIp,
        privacy,
        maxLineLength,
        smtputf8,
        dsn,
        chunking,
        certificate == null ? TlsSettings.NONE : new TlsSettings(certificate, key),
        usersFile == null ? AuthSettings.NONE : new AuthSettings(usersFile, allowPlaintextAuth),
        reverseDns,
        trustedProxies,
        minFreeSpace);
  }

  private static Duration duration(String key, String v) {
    try {
      return DurationText.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static int atLeastZero(String key, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(key + ": must be at least 0, got " + v);
    }
    return v;
  }

  private static int atLeastOne(String key, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(key + ": must be at least 1, got " + v);
    }
    return v;
  }
}
