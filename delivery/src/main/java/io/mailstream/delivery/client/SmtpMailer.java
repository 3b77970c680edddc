package io.mailstream.delivery.client;

import io.mailstream.core.event.Destination;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.OutboundMessage;
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

  /**
   * Tries the destination's hosts in order (a mailertable host list; a single host otherwise) and
   * runs the transaction on the first that takes a session. A host that has no address, cannot be
   * reached, or refuses the greeting, EHLO or HELO makes the next one be tried, as sendmail's
   * deliver() does ("try next MX site"); the recipients fail only when every host did (see {@link
   * FailedHops} for which failure then decides). Once a transaction has begun, its replies stand:
   * a refused MAIL or RCPT is an answer about the message, not about the host.
   */
  @Override
  public TransactionResult deliver(Destination destination, OutboundMessage message) {
    FailedHops failed = new FailedHops();
    for (Destination hop : destination.hops()) {
      SmtpConnection connection = connect(hop, message, failed);
      if (connection != null) {
        try {
          return new SmtpTransaction(connection, message).run();
        } finally {
          pool.release(connection);
        }
      }
    }
    return failed.result(message);
  }

  /**
   * A session with one host, from the pool or new; null, with the failure recorded, when the host
   * has no usable address or no address took the session.
   */
  private SmtpConnection connect(Destination hop, OutboundMessage message, FailedHops failed) {
    List<InetSocketAddress> addresses;
    try {
      addresses = nextHops.resolve(hop);
    } catch (NoSuchDomainException e) {
      // sendmail: "Host unknown (Name server: x: host not found)", dsn 5.1.2.
      failed.add(hop.host(),
          new ReplyRecord(550, "5.1.2", List.of("Host unknown (Name server: " + e.getMessage() + ")")));
      return null;
    } catch (UnknownHostException e) {
      // A failed look-up may be a DNS time-out; it must never become a bounce here.
      failed.add(hop.host(), SmtpReplies.noAnswer("Cannot resolve " + hop.host() + ": " + e.getMessage()));
      return null;
    }
    try {
      return pool.acquire(hop.key(), () -> open(hop, addresses));
    } catch (SmtpSessionException e) {
      log.debug("{}: {}", message.queueId(), e.getMessage());
      failed.add(e.relay(), e.reply());
      return null;
    }
  }

  /**
   * Tries each address in turn (RFC 5321 5.1), a domain's MX hosts among them. When none takes
   * the session, the failure reported is the last temporary one if there was any, as {@link
   * FailedHops} decides between hosts: a backup MX that refuses while the primary is merely down
   * must not bounce the mail.
   */
  private SmtpConnection open(Destination hop, List<InetSocketAddress> addresses)
      throws SmtpSessionException {
    if (addresses.isEmpty()) {
      throw new SmtpSessionException(
          hop.host(), SmtpReplies.noAnswer("No address for " + hop.host()), null);
    }
    SmtpSessionException deciding = null;
    for (InetSocketAddress a : addresses) {
      try {
        return connector.open(hop.key(), serverName(hop, a), a);
      } catch (SmtpSessionException e) {
        log.debug("{}: {}", hop.key(), e.getMessage());
        if (deciding == null || e.reply().code() < 500 || deciding.reply().code() >= 500) {
          deciding = e;
        }
      }
    }
    throw deciding;
  }

  /**
   * The name to log after {@code relay=}: the MX host an address belongs to when the look-up
   * recorded it ({@link MxNextHops} does), otherwise the destination's host, as sendmail logs
   * {@code relay=mx2.example. [192.0.2.2]} for the exchange that answered.
   */
  private static String serverName(Destination hop, InetSocketAddress a) {
    String name = a.getHostString();
    boolean named = a.getAddress() != null && !name.equals(a.getAddress().getHostAddress());
    return named ? name : hop.host();
  }
}
