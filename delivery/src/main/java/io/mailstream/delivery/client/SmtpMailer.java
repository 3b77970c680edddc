package io.mailstream.delivery.client;

import io.mailstream.core.event.Destination;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.Withdrawal;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP mailer: finds the next hop, takes a connection from the pool (or waits for one, or
 * opens one), runs one transaction on the connection's event loop and gives the connection back.
 * Thread-safe; the node's delivery workers share one instance, with many transactions in flight.
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

  /** Waits for {@link #deliverAsync}; for tools and tests. */
  @Override
  public TransactionResult deliver(Destination destination, OutboundMessage message) {
    return deliverAsync(destination, message).join();
  }

  /**
   * Tries the destination's hosts in order (a mailertable host list; a single host otherwise) and
   * runs the transaction on the first that takes a session. A host that has no address, cannot be
   * reached, is marked down, or refuses the greeting, EHLO or HELO makes the next one be tried, as
   * sendmail's deliver() does ("try next MX site"); the recipients fail only when every host did
   * (see {@link FailedHops} for which failure then decides). Once a transaction has begun, its
   * replies stand: a refused MAIL or RCPT is an answer about the message, not about the host.
   *
   * <p>Never blocks: the transaction runs on the connection's event loop, session set-up on the
   * connector's threads; the future completes there.
   */
  @Override
  public CompletableFuture<TransactionResult> deliverAsync(Destination destination, OutboundMessage message) {
    return deliverAsync(destination, message, new Withdrawal());
  }

  /**
   * As {@link #deliverAsync(Destination, OutboundMessage)}; a withdrawal ends a wait for a
   * connection at once, and a connection that comes after it goes back to the pool unused.
   */
  @Override
  public CompletableFuture<TransactionResult> deliverAsync(
      Destination destination, OutboundMessage message, Withdrawal withdrawal) {
    return tryHop(destination.hops(), 0, message, new FailedHops(), 0, withdrawal);
  }

  private CompletableFuture<TransactionResult> tryHop(List<Destination> hops, int i, OutboundMessage message,
      FailedHops failed, int staleSeen, Withdrawal withdrawal) {
    if (i == hops.size()) {
      return CompletableFuture.completedFuture(failed.result(message));
    }
    Destination hop = hops.get(i);
    CompletableFuture<ConnectionPool.Lease> acquired = pool.acquire(hop.key(), () -> open(hop), connector.blocking());
    withdrawal.waitingFor(acquired);
    return acquired
        .handle((lease, error) -> {
          if (error != null && Withdrawal.isWithdrawn(error)) {
            return CompletableFuture.<TransactionResult>failedFuture(new Withdrawal.WithdrawnException(message.queueId()));
          }
          if (error == null && withdrawal.withdrawn()) {
            pool.release(lease.connection());
            return CompletableFuture.<TransactionResult>failedFuture(new Withdrawal.WithdrawnException(message.queueId()));
          }
          if (error != null) {
            SmtpSessionException e = sessionFailure(hop, error);
            log.debug("{}: {}", message.queueId(), e.getMessage());
            // The pool names the destination by its key; the mail log names the host.
            failed.add(e.relay().equals(hop.key()) ? hop.host() : e.relay(), e.reply());
            return tryHop(hops, i + 1, message, failed, 0, withdrawal);
          }
          return transact(lease, message).thenCompose(attempt -> {
            // A reused connection the server had closed meanwhile (or says 421 on at once):
            // the message was not offered, so it goes over another connection, as Postfix does.
            if (attempt.staleConnection() && lease.reused() && staleSeen < MAX_STALE) {
              return tryHop(hops, i, message, failed, staleSeen + 1, withdrawal);
            }
            return CompletableFuture.completedFuture(attempt.result());
          });
        })
        .thenCompose(f -> f);
  }

  private static final int MAX_STALE = 3;

  private CompletableFuture<SmtpTransaction.Attempt> transact(ConnectionPool.Lease lease, OutboundMessage message) {
    SmtpConnection c = lease.connection();
    CompletableFuture<SmtpTransaction.Attempt> attempt;
    try {
      attempt = new SmtpTransaction(c, message, connector.blocking()).start();
    } catch (RuntimeException e) {
      c.abort();
      pool.release(c);
      throw e;
    }
    return attempt.whenComplete((a, e) -> pool.release(c));
  }

  private static SmtpSessionException sessionFailure(Destination hop, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof SmtpSessionException e) {
      return e;
    }
    return new SmtpSessionException(hop.host(), SmtpReplies.localError("Cannot open a session: " + cause), cause);
  }

  /**
   * Opens a session with one host (on a connector thread): resolves it, then tries its addresses.
   */
  private SmtpConnection open(Destination hop) throws SmtpSessionException {
    List<InetSocketAddress> addresses;
    try {
      addresses = nextHops.resolve(hop);
    } catch (NoSuchDomainException e) {
      // sendmail: "Host unknown (Name server: x: host not found)", dsn 5.1.2.
      throw new SmtpSessionException(hop.host(),
          new ReplyRecord(550, "5.1.2", List.of("Host unknown (Name server: " + e.getMessage() + ")")), e);
    } catch (UnknownHostException e) {
      // A failed look-up may be a DNS time-out; it must never become a bounce here.
      throw new SmtpSessionException(hop.host(),
          SmtpReplies.noAnswer("Cannot resolve " + hop.host() + ": " + e.getMessage()), e);
    }
    return open(hop, addresses);
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
