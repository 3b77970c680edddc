package io.mailstream.ingress.testing;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.Limits;
import io.mailstream.core.config.MailstreamConfig;
import java.time.Duration;
import java.util.List;

/**
 * Configurations for tests: relay host {@code mx.test} listening on 127.0.0.1 (any port), local
 * domain {@code local.test}, relaying allowed from 127.0.0.1/32 only.
 */
public final class TestConfig {
  private TestConfig() {}

  public static MailstreamConfig standard() {
    try {
      return new ConfigBuilder()
          .hostname("mx.test")
          .listen(List.of("127.0.0.1:0"))
          .relayFrom(List.of("127.0.0.1/32"))
          .localDomains(List.of("local.test"))
          .smartHost("[127.0.0.1]:9")
          .build();
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
        base.routing());
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
