package io.mailstream.delivery.client;

import io.mailstream.core.config.DeliverySettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps idle SMTP connections per destination for the next message to the same place, as
 * sendmail's connection caching and Postfix's connection reuse do: up to {@code maxIdle} per key,
 * each RSET before reuse, QUIT after {@code idleTimeout} without use.
 *
 * <p>Thread-safe: delivery threads share one pool. A connection belongs to exactly one thread
 * between {@link #acquire} and {@link #release}; network I/O is never done while holding the
 * pool's lock.
 */
public final class ConnectionPool implements AutoCloseable {
  private final int maxIdle;
  private final long idleTimeoutNanos;
  private final Map<String, Deque<Idle>> idle = new HashMap<>();
  private final ScheduledExecutorService reaper;
  private boolean closed;

  /** Opens a new connection when none is idle. */
  @FunctionalInterface
  public interface Opener {
    SmtpConnection open() throws SmtpSessionException;
  }

  private record Idle(SmtpConnection connection, long sinceNanos) {}

  /**
   * @param maxIdle idle connections kept per destination; 0 turns reuse off
   * @param idleTimeout how long an unused connection is kept before QUIT
   */
  public ConnectionPool(int maxIdle, Duration idleTimeout) {
    if (maxIdle < 0) {
      throw new IllegalArgumentException("maxIdle must not be negative: " + maxIdle);
    }
    this.maxIdle = maxIdle;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.reaper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "smtp-pool-reaper");
              t.setDaemon(true);
              return t;
            });
    // Check often enough that a connection outlives its time-out by at most half of it, but not
    // more than every 10 ms (tests) nor less than every second (production).
    long period = Math.max(10, Math.min(1000, idleTimeout.toMillis() / 2));
    reaper.scheduleWithFixedDelay(this::closeExpired, period, period, TimeUnit.MILLISECONDS);
  }

  /** A pool sized by the delivery settings. */
  public static ConnectionPool from(DeliverySettings settings) {
    return new ConnectionPool(settings.maxIdleConnections(), settings.idleTimeout());
  }

  /**
   * An idle connection for {@code key} that answered RSET, or a new one from {@code opener}. The
   * most recently used connection is tried first, so that surplus ones age out.
   *
   * @throws SmtpSessionException when no idle connection is left and opening a new one fails
   */
  public SmtpConnection acquire(String key, Opener opener) throws SmtpSessionException {
    while (true) {
      SmtpConnection c = takeIdle(key);
      if (c == null) {
        return opener.open();
      }
      // RFC 5321 4.1.1.5: RSET clears any leftover state and proves the server is still there.
      // A connection that fails it is discarded (reset() closes it) and the next one tried.
      if (c.reset()) {
        return c;
      }
    }
  }

  /**
   * Gives a connection back after a transaction: kept when it is still usable and there is room,
   * otherwise closed (with QUIT when it is still usable).
   */
  public void release(SmtpConnection c) {
    if (!c.usable()) {
      c.abort();
      return;
    }
    boolean kept = false;
    synchronized (this) {
      if (!closed) {
        Deque<Idle> q = idle.computeIfAbsent(c.key(), k -> new ArrayDeque<>());
        if (q.size() < maxIdle) {
          q.addFirst(new Idle(c, System.nanoTime()));
          kept = true;
        }
      }
    }
    if (!kept) {
      c.quit();
    }
  }

  /** Idle connections kept for {@code key} right now. */
  public synchronized int idleCount(String key) {
    Deque<Idle> q = idle.get(key);
    return q == null ? 0 : q.size();
  }

  private SmtpConnection takeIdle(String key) {
    List<SmtpConnection> stale = new ArrayList<>();
    SmtpConnection found = null;
    long now = System.nanoTime();
    synchronized (this) {
      Deque<Idle> q = idle.get(key);
      while (q != null && found == null && !q.isEmpty()) {
        Idle i = q.pollFirst();
        if (now - i.sinceNanos() >= idleTimeoutNanos || !i.connection().usable()) {
          stale.add(i.connection());
        } else {
          found = i.connection();
        }
      }
    }
    stale.forEach(SmtpConnection::quit);
    return found;
  }

  /** QUITs every connection idle for longer than the time-out, or closed by the server. */
  private void closeExpired() {
    List<SmtpConnection> expired = new ArrayList<>();
    long now = System.nanoTime();
    synchronized (this) {
      for (Deque<Idle> q : idle.values()) {
        for (Iterator<Idle> it = q.iterator(); it.hasNext(); ) {
          Idle i = it.next();
          if (now - i.sinceNanos() >= idleTimeoutNanos || !i.connection().usable()) {
            it.remove();
            expired.add(i.connection());
          }
        }
      }
      idle.values().removeIf(Deque::isEmpty);
    }
    expired.forEach(SmtpConnection::quit);
  }

  /** QUITs all idle connections; connections still in use are closed when released. */
  @Override
  public void close() {
    List<SmtpConnection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(q -> q.forEach(i -> all.add(i.connection())));
      idle.clear();
    }
    reaper.shutdownNow();
    all.forEach(SmtpConnection::quit);
  }
}
