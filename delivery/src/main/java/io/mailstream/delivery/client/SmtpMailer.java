package io.mailstream.delivery.client;

import io.mailstream.core.event.Destination;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP mailer: finds the next hop, takes a connection from the pool (or opens one), runs one
 * transaction and gives the connection back. Thread-safe; delivery threads share one instance.
 *
 * <pre>{@code
 * try (SmtpConnector connector = new SmtpConnector("relay.example", Timeouts.rfc5321());
 *     ConnectionPool pool = ConnectionPool.from(settings)) {
 *   Mailer smtp = new SmtpMailer(connector, pool, NextHops.direct());
 *   TransactionResult r = smtp.deliver(destination, message);
 * }
 * }</pre>
 */
public final class SmtpMailer implements Mailer {
  private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);

  private final SmtpConnector connector;
  private final ConnectionPool pool;
  private final NextHops nextHops;

  public SmtpMailer(SmtpConnector connector, ConnectionPool pool, NextHops nextHops) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.nextHops = Objects.requireNonNull(nextHops, "nextHops");
  }

  @Override
  public TransactionResult deliver(Destination destination, OutboundMessage message) {
    List<InetSocketAddress> addresses;
    try {
      addresses = nextHops.resolve(destination);
    } catch (NoSuchDomainException e) {
      // sendmail: "Host unknown (Name server: x: host not found)", dsn 5.1.2.
      return allFailed(destination.host(), message,
          new ReplyRecord(550, "5.1.2", List.of("Host unknown (Name server: " + e.getMessage() + ")")));
    } catch (UnknownHostException e) {
      // A failed look-up may be a DNS time-out; it must never become a bounce here.
      String host = destination.host();
      return allFailed(
          host, message, SmtpReplies.noAnswer("Cannot resolve " + host + ": " + e.getMessage()));
    }
    SmtpConnection connection;
    try {
      connection = pool.acquire(destination.key(), () -> open(destination, addresses));
    } catch (SmtpSessionException e) {
      log.debug("{}: {}", message.queueId(), e.getMessage());
      return allFailed(e.relay(), message, e.reply());
    }
    try {
      return new SmtpTransaction(connection, message).run();
    } finally {
      pool.release(connection);
    }
  }

  /** Tries each address in turn (RFC 5321 5.1) and reports the last failure. */
  private SmtpConnection open(Destination destination, List<InetSocketAddress> addresses)
      throws SmtpSessionException {
    if (addresses.isEmpty()) {
      throw new SmtpSessionException(
          destination.host(),
          SmtpReplies.noAnswer("No address for " + destination.host()),
          null);
    }
    SmtpSessionException last = null;
    for (InetSocketAddress a : addresses) {
      try {
        return connector.open(destination.key(), destination.host(), a);
      } catch (SmtpSessionException e) {
        log.debug("{}: {}", destination.key(), e.getMessage());
        last = e;
      }
    }
    throw last;
  }

  private static TransactionResult allFailed(
      String relay, OutboundMessage message, ReplyRecord reply) {
    Outcome outcome = reply.code() >= 500 ? Outcome.BOUNCED : Outcome.DEFERRED;
    return new TransactionResult(
        relay,
        message.recipients().stream().map(r -> new RecipientResult(r, outcome, reply)).toList());
  }
}
