package io.mailstream.ingress.testing;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.Limits;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.SmtpBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Configurations for tests: relay host {@code mx.test} listening on 127.0.0.1 (any port), local
 * domain {@code local.test}, relaying allowed from 127.0.0.1/32 only; sendmail's tables if asked.
 */
public final class TestConfig {
  private TestConfig() {}

  public static MailstreamConfig standard() {
    try {
      return builder().build();
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The standard configuration with sendmail's files from {@code dir}: each of access,
   * relay-domains, local-host-names, virtusertable, aliases, mailertable and domaintable that is
   * there.
   *
   * @param relayHostsOnly FEATURE(relay_hosts_only)
   * @param virtuserDomains VIRTUSER_DOMAIN
   */
  public static MailstreamConfig withTables(Path dir, boolean relayHostsOnly, List<String> virtuserDomains) {
    try {
      ConfigBuilder b = builder();
      for (String name : List.of(
          "access", "relay-domains", "local-host-names", "virtusertable", "aliases", "mailertable", "domaintable")) {
        if (Files.exists(dir.resolve(name))) {
          b.routing().map(name, dir.resolve(name));
        }
      }
      b.routing().flag("routing.relay-hosts-only", relayHostsOnly).virtuserDomains(virtuserDomains);
      return b.build();
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The standard configuration with other {@code smtp} settings (extensions, line length). */
  public static MailstreamConfig withSmtp(Consumer<SmtpBuilder> smtp) {
    try {
      ConfigBuilder b = builder();
      smtp.accept(b.smtp());
      return b.build();
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ConfigBuilder builder() {
    return new ConfigBuilder()
        .hostname("mx.test")
        .listen(List.of("127.0.0.1:0"))
        .relayFrom(List.of("127.0.0.1/32"))
        .localDomains(List.of("local.test"))
        .smartHost("[127.0.0.1]:9");
  }

  /**
   * {@code base} with its {@code smtp} section changed, each entry a config file key without
   * {@code smtp.} and its value as the file would hold it: {@code greet-pause 300ms}, {@code
   * privacy goaway}.
   */
  public static MailstreamConfig withSmtp(MailstreamConfig base, List<String> entries) {
    ConfigBuilder b = builder();
    for (String entry : entries) {
      String[] kv = entry.strip().split("\\s+", 2);
      String v = kv.length > 1 ? kv[1] : "";
      switch (kv[0]) {
        case "banner" -> b.smtp().banner(v);
        case "greet-pause" -> b.smtp().greetPause(v);
        case "bad-rcpt-throttle" -> b.smtp().badRcptThrottle(Integer.parseInt(v));
        case "connection-rate-throttle" -> b.smtp().connectionRateThrottle(Integer.parseInt(v));
        case "max-connections" -> b.smtp().maxConnections(Integer.parseInt(v));
        case "max-connections-per-ip" -> b.smtp().maxConnectionsPerIp(Integer.parseInt(v));
        case "privacy" -> b.smtp().privacy(List.of(v.split(",")));
        default -> throw new IllegalArgumentException("unknown smtp setting " + entry);
      }
    }
    try {
      return new MailstreamConfig(
          base.hostname(),
          base.dataDir(),
          base.listen(),
          base.relayFrom(),
          base.localDomains(),
          base.smartHost(),
          base.smartHostMailer(),
          base.kafka(),
          base.limits(),
          base.delivery(),
          base.routing(),
          b.build().smtp());
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code base} with other limits; tests may go below what the config file allows. */
  public static MailstreamConfig withLimits(MailstreamConfig base, Limits limits) {
    return new MailstreamConfig(
        base.hostname(),
        base.dataDir(),
        base.listen(),
        base.relayFrom(),
        base.localDomains(),
        base.smartHost(),
        base.smartHostMailer(),
        base.kafka(),
        limits,
        base.delivery(),
        base.routing(),
        base.smtp());
  }

  public static MailstreamConfig with(
      MailstreamConfig base, Long maxSize, Integer maxRecipients, Integer maxHops, Duration deadline) {
    Limits l = base.limits();
    return withLimits(
        base,
        new Limits(
            maxSize != null ? maxSize : l.maxMessageSize(),
            maxRecipients != null ? maxRecipients : l.maxRecipients(),
            maxHops != null ? maxHops : l.maxHops(),
            deadline != null ? deadline : l.acceptDeadline()));
  }
}
