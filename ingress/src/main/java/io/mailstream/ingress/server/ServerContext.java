package io.mailstream.ingress.server;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.auth.Authenticator;
import io.mailstream.ingress.tls.ServerTls;
import io.mailstream.ingress.publish.MessagePublisher;
import io.mailstream.ingress.session.Policy;
import io.mailstream.ingress.session.StageHealth;
import io.mailstream.ingress.session.StorageSpace;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every connection of one server shares.
 *
 * @param config the node's configuration when the server started: its listeners
 * @param publisher where accepted mail goes
 * @param clock for Received headers and acceptance times
 * @param queueIds the source of queue ids
 * @param idleTimeout how long a client may stay silent, for every session whatever its version
 *     says; null to take {@code smtp.command-timeout} from the version each session starts with
 * @param setup gives a new session its settings and the access database and tables it checks
 *     clients, senders and recipients against: the version current when the session starts,
 *     kept for its whole life, so a reload never mixes two versions in one message
 * @param tls the certificate for STARTTLS and implicit TLS, or null without one
 * @param authenticator checks AUTH credentials, or null when AUTH is off
 * @param names looks up each client's host name when it connects
 * @param stages whether the router and delivery stages of this process can run; MAIL is refused
 *     with 451 while one cannot
 * @param storage whether the data directory has room above {@code smtp.min-free-space}; MAIL and
 *     the end of DATA are refused with 452 4.3.1 while it has not
 * @param metrics what the server counts for {@code /metrics}
 * @param drain whether the server is stopping: new connections and idle sessions get 421
 */
record ServerContext(
    MailstreamConfig config,
    MessagePublisher publisher,
    Clock clock,
    Supplier<String> queueIds,
    Duration idleTimeout,
    Supplier<SessionSetup> setup,
    ServerTls tls,
    Authenticator authenticator,
    ClientNames names,
    StageHealth stages,
    StorageSpace storage,
    IngressMetrics metrics,
    Drain drain) {

  /** A context for an ingress with no stage of its own beside it. */
  ServerContext(
      MailstreamConfig config,
      MessagePublisher publisher,
      Clock clock,
      Supplier<String> queueIds,
      Duration idleTimeout,
      Supplier<SessionSetup> setup,
      ServerTls tls,
      Authenticator authenticator,
      ClientNames names) {
    this(config, publisher, clock, queueIds, idleTimeout, setup, tls, authenticator, names, StageHealth.NO_STAGES,
        StorageSpace.UNLIMITED, IngressMetrics.NONE, new Drain());
  }

  /** A context without TLS and AUTH. */
  ServerContext(
      MailstreamConfig config,
      MessagePublisher publisher,
      Clock clock,
      Supplier<String> queueIds,
      Duration idleTimeout,
      Supplier<SessionSetup> setup) {
    this(config, publisher, clock, queueIds, idleTimeout, setup, null, null, ClientNames.none());
  }

  /** A context without tables: only {@code relay-from} and {@code local-domains} count. */
  ServerContext(
      MailstreamConfig config,
      MessagePublisher publisher,
      Clock clock,
      Supplier<String> queueIds,
      Duration idleTimeout) {
    this(config, publisher, clock, queueIds, idleTimeout, SessionSetup.fixed(config, Policy.none(config)));
  }

  /** How long a session of {@code setup} waits for its client before 421 4.4.2. */
  Duration commandTimeout(SessionSetup setup) {
    return idleTimeout != null ? idleTimeout : setup.config().smtp().commandTimeout();
  }
}
