package io.mailstream.ingress.server;

import io.mailstream.core.config.SmtpSettings;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.session.ControlReplies;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The connection limits of one server, over all its listeners, checked when a client connects and
 * before its session starts, in the order sendmail checks them: connections in all
 * (confMAX_DAEMON_CHILDREN), then connections from the client's address in the last minute
 * (FEATURE(ratecontrol), proto.m4's RateControl), then connections open from that address
 * (FEATURE(conncontrol), ConnControl). A refused client is told so with 421 (RFC 5321 3.8), never
 * dropped silently.
 *
 * <p>Every attempt counts towards the rate, refused ones too, as sendmail counts every accept: a
 * client that keeps hammering stays refused. Memory is bounded: per address at most the limit's
 * worth of times, and addresses with nothing open and nothing recent are forgotten.
 *
 * <p>Thread-safe: connections arrive on every event loop.
 */
final class ConnectionLimits {
  // confCONNECTION_RATE_WINDOW_SIZE's default.
  static final Duration WINDOW = Duration.ofSeconds(60);
  // Beyond this many addresses tracked, forgotten ones are swept out.
  private static final int SWEEP_ABOVE = 4096;

  private final LongSupplier nanoTime;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, Client> clients = new ConcurrentHashMap<>();

  ConnectionLimits() {
    this(System::nanoTime);
  }

  ConnectionLimits(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A connection that was let in; {@link #close} it exactly once when it ends. */
  interface Ticket {
    void close();
  }

  /** The outcome: a ticket for an admitted client, or the 421 and why. */
  record Decision(Ticket ticket, Reply refusal, String reason) {
    boolean admitted() {
      return ticket != null;
    }
  }

  Decision admit(InetAddress address, SmtpSettings smtp, String hostname) {
    return admit(address, smtp, new PerClient(smtp.connectionRateThrottle(), smtp.maxConnectionsPerIp()), hostname);
  }

  /**
   * The limits for one client: smtp's, or what its access entries say ({@code ClientRate:},
   * {@code ClientConn:}).
   *
   * @param rate connections per minute, 0 for no limit
   * @param open connections open at once, 0 for no limit
   */
  record PerClient(int rate, int open) {}

  Decision admit(InetAddress address, SmtpSettings smtp, PerClient limits, String hostname) {
    long now = nanoTime.getAsLong();
    if (open.incrementAndGet() > smtp.maxConnections()) {
      open.decrementAndGet();
      countAttempt(address, now, limits.rate());
      return refuse(
          ControlReplies.tooManyConnections(hostname),
          "max-connections " + smtp.maxConnections() + " reached");
    }
    Decision decision;
    while (true) {
      Client c = live(address);
      synchronized (c) {
        if (c.forgotten) {
          continue; // a release on another event loop forgot it after live() returned: start over
        }
        decision = admit(address, c, now, limits, hostname);
        break;
      }
    }
    sweepIfLarge(now); // outside any client's lock: the sweep takes each of them in turn
    return decision;
  }

  // Called holding c's lock, c not forgotten.
  private Decision admit(InetAddress address, Client c, long now, PerClient limits, String hostname) {
    int recent = c.attempt(now, limits.rate());
    if (limits.rate() > 0 && recent > limits.rate()) {
      open.decrementAndGet();
      return refuse(
          ControlReplies.connectionRateExceeded(hostname),
          "connection-rate-throttle " + limits.rate() + " per minute exceeded");
    }
    if (limits.open() > 0 && c.open >= limits.open()) {
      open.decrementAndGet();
      return refuse(
          ControlReplies.tooManyOpenConnections(hostname),
          "max-connections-per-ip " + limits.open() + " reached");
    }
    c.open++;
    return new Decision(new Once(address, c), null, null);
  }

  /** Connections open now, in all. */
  int open() {
    return open.get();
  }

  /** Addresses remembered now; for tests of the memory bound. */
  int tracked() {
    return clients.size();
  }

  private void countAttempt(InetAddress address, long now, int limit) {
    while (true) {
      Client c = live(address);
      synchronized (c) {
        if (!c.forgotten) {
          c.attempt(now, limit);
          return;
        }
      }
    }
  }

  /** The entry for an address, never one that a concurrent release has just forgotten. */
  private Client live(InetAddress address) {
    while (true) {
      Client c = clients.computeIfAbsent(address, a -> new Client());
      synchronized (c) {
        if (!c.forgotten) {
          return c;
        }
      }
    }
  }

  private static Decision refuse(Reply reply, String reason) {
    return new Decision(null, reply, reason);
  }

  private void sweepIfLarge(long now) {
    if (clients.size() <= SWEEP_ABOVE) {
      return;
    }
    clients.forEach(
        (address, c) -> {
          synchronized (c) {
            c.expire(now);
            forgetIfIdle(address, c);
          }
        });
  }

  private void release(InetAddress address, Client c) {
    open.decrementAndGet();
    synchronized (c) {
      c.open--;
      c.expire(nanoTime.getAsLong());
      forgetIfIdle(address, c);
    }
  }

  // Called holding c's lock.
  private void forgetIfIdle(InetAddress address, Client c) {
    if (c.open == 0 && c.times.isEmpty()) {
      c.forgotten = true;
      clients.remove(address, c);
    }
  }

  /** One address: its open connections and the times of its recent attempts. */
  private static final class Client {
    final ArrayDeque<Long> times = new ArrayDeque<>();
    int open;
    boolean forgotten;

    /** Records an attempt; returns the attempts within the window, this one included. */
    int attempt(long now, int limit) {
      if (limit <= 0) {
        times.clear(); // no rate limit: nothing to remember
        return 0;
      }
      expire(now);
      times.addLast(now);
      // Only whether the count exceeds the limit matters: keep no more than limit + 1 times.
      while (times.size() > limit + 1L) {
        times.removeFirst();
      }
      return times.size();
    }

    void expire(long now) {
      long oldest = now - WINDOW.toNanos();
      while (!times.isEmpty() && times.peekFirst() - oldest <= 0) {
        times.removeFirst();
      }
    }
  }

  private final class Once implements Ticket {
    private final InetAddress address;
    private final Client client;
    private boolean closed;

    Once(InetAddress address, Client client) {
      this.address = address;
      this.client = client;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(address, client);
      }
    }
  }
}
