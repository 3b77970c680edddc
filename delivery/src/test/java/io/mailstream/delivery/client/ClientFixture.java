package io.mailstream.delivery.client;

import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.FakeSmartHost;
import java.io.IOException;
import java.time.Duration;

/** A fake smart host and an SMTP mailer pointed at it, closed together. */
final class ClientFixture implements AutoCloseable {
  /** Long enough never to fire by accident in a test, short enough to end a hung one. */
  static final Timeouts SHORT = Timeouts.uniform(Duration.ofSeconds(5));

  static final Duration WAIT = Duration.ofSeconds(5);

  final FakeSmartHost host;
  final SmtpConnector connector;
  final ConnectionPool pool;
  final SmtpMailer mailer;

  private ClientFixture(Timeouts timeouts, int maxIdle, Duration idleTimeout) throws IOException {
    this(timeouts, maxIdle, idleTimeout, ClientSecurity.plain());
  }

  private ClientFixture(Timeouts timeouts, int maxIdle, Duration idleTimeout, ClientSecurity security)
      throws IOException {
    this(timeouts, new ConnectionPool(maxIdle, idleTimeout), security);
  }

  private ClientFixture(Timeouts timeouts, ConnectionPool pool, ClientSecurity security) throws IOException {
    host = FakeSmartHost.start();
    connector = new SmtpConnector("mailstream.test", timeouts, 1, security);
    this.pool = pool;
    mailer = new SmtpMailer(connector, pool, NextHops.direct());
  }

  static ClientFixture start() throws IOException {
    return new ClientFixture(SHORT, 2, Duration.ofMinutes(1));
  }

  static ClientFixture start(Timeouts timeouts) throws IOException {
    return new ClientFixture(timeouts, 2, Duration.ofMinutes(1));
  }

  /** A mailer with this STARTTLS and AUTH policy. */
  static ClientFixture secured(ClientSecurity security) throws IOException {
    return new ClientFixture(SHORT, 2, Duration.ofMinutes(1), security);
  }

  static ClientFixture withPool(int maxIdle, Duration idleTimeout) throws IOException {
    return new ClientFixture(SHORT, maxIdle, idleTimeout);
  }

  /** At most {@code maxPerDestination} connections to the host at once. */
  static ClientFixture withPool(int maxIdle, Duration idleTimeout, int maxPerDestination) throws IOException {
    return new ClientFixture(SHORT,
        new ConnectionPool(maxIdle, idleTimeout, maxPerDestination, HostStatus.off(), ConnectionPool.DEFAULT_HOST_WAIT),
        ClientSecurity.plain());
  }

  /** A mailer whose pool keeps this host status, and waits {@code hostWait} for a host that does not answer. */
  static ClientFixture withHostStatus(Timeouts timeouts, HostStatus hosts, Duration hostWait) throws IOException {
    return new ClientFixture(timeouts, new ConnectionPool(2, Duration.ofMinutes(1), 20, hosts, hostWait),
        ClientSecurity.plain());
  }

  TransactionResult send(OutboundMessage m) {
    return mailer.deliver(host.destination(), m);
  }

  @Override
  public void close() throws IOException {
    pool.close();
    connector.close();
    host.close();
  }
}
