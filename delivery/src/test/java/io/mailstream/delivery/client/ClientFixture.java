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
    host = FakeSmartHost.start();
    connector = new SmtpConnector("mailstream.test", timeouts, 1, security);
    pool = new ConnectionPool(maxIdle, idleTimeout);
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
