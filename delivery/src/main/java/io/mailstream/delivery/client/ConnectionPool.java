package io.mailstream.delivery.client;

import io.mailstream.core.config.DeliverySettings;
import io.mailstream.core.config.DurationText;
import io.mailstream.core.event.ReplyRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The SMTP connections of a node, per destination, as Postfix's per-destination concurrency and
 * connection cache: at most {@code maxPerDestination} connections to one destination, each used by
 * one transaction at a time; a transaction that finds none free waits in the destination's queue and
 * gets the next connection released, with no RSET in between (a completed transaction leaves the
 * session ready for the next MAIL). Up to {@code maxIdle} unused connections per destination are
 * kept, QUIT after {@code idleTimeout}.
 *
 * <p>While a destination has no working connection, one connection at a time is opened (a dead
 * host costs one connection attempt, not one per message); when it fails, every transaction waiting
 * for the destination fails with its reply, and the {@link HostStatus} marks the host down. A
 * transaction does not wait longer than {@code hostWait} for a destination that has no working
 * connection, so that mail for a host that accepts and never answers does not pile up.
 *
 * <p>Thread-safe; network I/O and completing waiting transactions happen outside the lock.
 */
public final class ConnectionPool implements AutoCloseable {
  /** Postfix's default_destination_concurrency_limit. */
  public static final int DEFAULT_MAX_PER_DESTINATION = 20;

  /** How long a transaction waits for a destination that has no working connection. */
  public static final Duration DEFAULT_HOST_WAIT = Duration.ofSeconds(5);

  private final int maxIdle;
  private final int maxPerDestination;
  private final long idleTimeoutNanos;
  private final long hostWaitNanos;
  private final HostStatus hosts;
  private final Map<String, Lane> lanes = new HashMap<>();
  private final ScheduledExecutorService reaper;
  private boolean closed;

  /** Opens a new connection (blocking); run on a connect thread. */
  @FunctionalInterface
  public interface Opener {
    SmtpConnection open() throws SmtpSessionException;
  }

  /** A connection handed to one transaction; {@code reused} when it carried one before. */
  record Lease(SmtpConnection connection, boolean reused) {}

  private record Idle(SmtpConnection connection, long sinceNanos) {}

  private record Waiter(CompletableFuture<Lease> future, long sinceNanos) {}

  /** One destination's connections and the transactions waiting for one. */
  private static final class Lane {
    final Deque<Idle> idle = new ArrayDeque<>();
    final Deque<Waiter> waiters = new ArrayDeque<>();
    Opener opener;
    Executor executor;
    int busy;
    int opening;
    long openingSinceNanos;

    int established() {
      return busy + idle.size();
    }

    boolean empty() {
      return idle.isEmpty() && waiters.isEmpty() && busy == 0 && opening == 0;
    }
  }

  /**
   * A pool without a host-status cache and the default concurrency; for tests and tools.
   *
   * @param maxIdle idle connections kept per destination; 0 turns reuse off
   * @param idleTimeout how long an unused connection is kept before QUIT
   */
  public ConnectionPool(int maxIdle, Duration idleTimeout) {
    this(maxIdle, idleTimeout, DEFAULT_MAX_PER_DESTINATION, HostStatus.off(), DEFAULT_HOST_WAIT);
  }

  /**
   * @param maxPerDestination connections (hence transactions) at once per destination
   * @param hosts the node's host status, shared by its workers
   * @param hostWait how long a transaction waits for a destination with no working connection
   */
  public ConnectionPool(int maxIdle, Duration idleTimeout, int maxPerDestination, HostStatus hosts, Duration hostWait) {
    if (maxIdle < 0) {
      throw new IllegalArgumentException("maxIdle must not be negative: " + maxIdle);
    }
    if (maxPerDestination < 1) {
      throw new IllegalArgumentException("maxPerDestination must be at least 1: " + maxPerDestination);
    }
    this.maxIdle = maxIdle;
    this.maxPerDestination = maxPerDestination;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.hostWaitNanos = hostWait.toNanos();
    this.hosts = hosts;
    this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "smtp-pool-reaper");
      t.setDaemon(true);
      return t;
    });
    // Check often enough that a connection outlives its time-out by at most half of it, but not
    // more than every 10 ms (tests) nor less than every second (production).
    long period = Math.max(10, Math.min(1000, Math.min(idleTimeout.toMillis(), hostWait.toMillis()) / 2));
    reaper.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /** A pool sized by the delivery settings, with a host status of its own (one pool per node). */
  public static ConnectionPool from(DeliverySettings settings) {
    return from(settings, new HostStatus(settings.hostDownBackoff(), settings.hostDownMaxBackoff()));
  }

  /** A pool sized by the delivery settings. */
  public static ConnectionPool from(DeliverySettings settings, HostStatus hosts) {
    return new ConnectionPool(settings.maxIdleConnections(), settings.idleTimeout(),
        settings.maxConnectionsPerDestination(), hosts, DEFAULT_HOST_WAIT);
  }

  /** The node's host status. */
  public HostStatus hosts() {
    return hosts;
  }

  /**
   * A connection for {@code key}: an idle one (the most recently used first, so that surplus ones
   * age out), a new one from {@code opener} run on {@code executor} when the destination has room,
   * or the next one released. Fails with {@link SmtpSessionException} when the host is marked down,
   * when opening fails while the destination has no working connection, or when no connection came
   * within the host wait.
   */
  CompletableFuture<Lease> acquire(String key, Opener opener, Executor executor) {
    List<SmtpConnection> stale = new ArrayList<>();
    CompletableFuture<Lease> result = new CompletableFuture<>();
    boolean open;
    ReplyRecord refused = null;
    synchronized (this) {
      Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
      SmtpConnection found = takeIdle(lane, stale);
      if (found != null) {
        lane.busy++;
        result.complete(new Lease(found, true));
        open = false;
      } else {
        Optional<ReplyRecord> down = lane.established() == 0 && lane.opening == 0 ? hosts.blocked(key) : Optional.empty();
        if (down.isPresent()) {
          refused = down.get();
          open = false;
        } else if (lane.established() == 0 && lane.opening > 0 && System.nanoTime() - lane.openingSinceNanos > hostWaitNanos) {
          refused = hostWaitExpired(key);
          open = false;
        } else {
          lane.opener = opener;
          lane.executor = executor;
          lane.waiters.add(new Waiter(result, System.nanoTime()));
          open = startOpen(lane);
        }
      }
    }
    stale.forEach(SmtpConnection::quit);
    if (refused != null) {
      result.completeExceptionally(new SmtpSessionException(key, refused, null));
    }
    if (open) {
      open(key);
    }
    return result;
  }

  /**
   * Whether another connection should be opened for the waiters: there is room, and the
   * destination has a working connection or none is being opened (then one at a time).
   */
  private boolean startOpen(Lane lane) {
    // Waiters given up on (a withdrawn attempt) need no connection.
    lane.waiters.removeIf(w -> w.future().isDone());
    boolean needed = lane.waiters.size() > lane.opening;
    boolean room = lane.established() + lane.opening < maxPerDestination;
    boolean proven = lane.established() > 0 || lane.opening == 0;
    if (closed || !needed || !room || !proven) {
      return false;
    }
    if (lane.opening == 0) {
      lane.openingSinceNanos = System.nanoTime();
    }
    lane.opening++;
    return true;
  }

  private void open(String key) {
    Opener opener;
    Executor executor;
    synchronized (this) {
      Lane lane = lanes.get(key);
      opener = lane.opener;
      executor = lane.executor;
    }
    executor.execute(() -> {
      try {
        SmtpConnection c = opener.open();
        hosts.succeeded(key);
        opened(key, c);
      } catch (SmtpSessionException e) {
        openFailed(key, e);
      } catch (RuntimeException e) {
        openFailed(key, new SmtpSessionException(key, SmtpReplies.localError("Cannot open a connection: " + e), e));
      }
    });
  }

  private void opened(String key, SmtpConnection c) {
    Waiter w;
    boolean more;
    synchronized (this) {
      Lane lane = lanes.get(key);
      lane.opening--;
      w = lane.waiters.poll();
      if (w != null) {
        lane.busy++;
      } else {
        lane.idle.addFirst(new Idle(c, System.nanoTime()));
      }
      more = startOpen(lane);
    }
    if (more) {
      open(key);
    }
    if (w != null && !w.future().complete(new Lease(c, false))) {
      release(c); // The waiter was given up on meanwhile.
    }
  }

  private void openFailed(String key, SmtpSessionException e) {
    List<Waiter> failed = new ArrayList<>();
    boolean more;
    synchronized (this) {
      Lane lane = lanes.get(key);
      lane.opening--;
      if (lane.established() == 0 && lane.opening == 0) {
        // Nothing works for this destination: everyone waiting gets the reply (and may try a backup).
        hosts.failed(key, e.reply());
        failed.addAll(lane.waiters);
        lane.waiters.clear();
      } else if (!lane.waiters.isEmpty()) {
        failed.add(lane.waiters.poll());
      }
      more = startOpen(lane);
    }
    if (more) {
      open(key);
    }
    failed.forEach(w -> w.future().completeExceptionally(e));
  }

  /**
   * Gives a connection back after a transaction: to the next waiting transaction when it is still
   * usable, otherwise kept idle when there is room, else closed (with QUIT when usable). A broken
   * one makes room for a new connection if transactions are waiting.
   */
  void release(SmtpConnection c) {
    Waiter next = null;
    boolean quit = false;
    boolean open = false;
    synchronized (this) {
      Lane lane = lanes.get(c.key());
      if (lane == null) {
        quit = true;
      } else if (!c.usable()) {
        lane.busy--;
        open = startOpen(lane);
      } else if (!closed && (next = lane.waiters.poll()) != null) {
        // Stays busy, for the next transaction.
      } else {
        lane.busy--;
        if (!closed && lane.idle.size() < maxIdle) {
          lane.idle.addFirst(new Idle(c, System.nanoTime()));
        } else {
          quit = true;
        }
      }
    }
    if (!c.usable()) {
      c.abort();
    } else if (quit) {
      c.quit();
    }
    if (open) {
      open(c.key());
    }
    if (next != null && !next.future().complete(new Lease(c, true))) {
      release(c);
    }
  }

  /** Idle connections kept for {@code key} right now. */
  public synchronized int idleCount(String key) {
    Lane lane = lanes.get(key);
    return lane == null ? 0 : lane.idle.size();
  }

  /** Connections to {@code key} open or being opened right now. */
  public synchronized int connections(String key) {
    Lane lane = lanes.get(key);
    return lane == null ? 0 : lane.established() + lane.opening;
  }

  private SmtpConnection takeIdle(Lane lane, List<SmtpConnection> stale) {
    long now = System.nanoTime();
    while (!lane.idle.isEmpty()) {
      Idle i = lane.idle.pollFirst();
      if (now - i.sinceNanos() >= idleTimeoutNanos || !i.connection().usable()) {
        stale.add(i.connection());
      } else {
        return i.connection();
      }
    }
    return null;
  }

  private ReplyRecord hostWaitExpired(String key) {
    return SmtpReplies.noAnswer("No connection to " + key + " within "
        + DurationText.format(Duration.ofNanos(hostWaitNanos)) + " (a connection attempt is still under way)");
  }

  /** QUITs connections idle too long, and fails waiters of destinations that do not answer. */
  private void tick() {
    List<SmtpConnection> expired = new ArrayList<>();
    List<Map.Entry<String, Waiter>> late = new ArrayList<>();
    long now = System.nanoTime();
    synchronized (this) {
      for (Map.Entry<String, Lane> e : lanes.entrySet()) {
        Lane lane = e.getValue();
        for (Iterator<Idle> it = lane.idle.iterator(); it.hasNext(); ) {
          Idle i = it.next();
          if (now - i.sinceNanos() >= idleTimeoutNanos || !i.connection().usable()) {
            it.remove();
            expired.add(i.connection());
          }
        }
        if (lane.established() == 0 && lane.opening > 0 && now - lane.openingSinceNanos > hostWaitNanos) {
          for (Iterator<Waiter> it = lane.waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (now - w.sinceNanos() > hostWaitNanos) {
              it.remove();
              late.add(Map.entry(e.getKey(), w));
            }
          }
        }
      }
      lanes.values().removeIf(Lane::empty);
    }
    expired.forEach(SmtpConnection::quit);
    late.forEach(e -> e.getValue().future().completeExceptionally(
        new SmtpSessionException(e.getKey(), hostWaitExpired(e.getKey()), null)));
  }

  /** QUITs all idle connections; connections still in use are closed when released. */
  @Override
  public void close() {
    List<SmtpConnection> all = new ArrayList<>();
    List<Waiter> waiting = new ArrayList<>();
    synchronized (this) {
      closed = true;
      lanes.values().forEach(l -> {
        l.idle.forEach(i -> all.add(i.connection()));
        l.idle.clear();
        waiting.addAll(l.waiters);
        l.waiters.clear();
      });
    }
    reaper.shutdownNow();
    all.forEach(SmtpConnection::quit);
    waiting.forEach(w -> w.future().completeExceptionally(
        new SmtpSessionException("pool", SmtpReplies.localError("Delivery is stopping"), null)));
  }
}
