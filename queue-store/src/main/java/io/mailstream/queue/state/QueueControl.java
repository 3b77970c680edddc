package io.mailstream.queue.state;

import io.mailstream.core.event.QueueCommand;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The administrators' orders as this node has applied them from the control topic: which messages
 * are held and which deleted, read by delivery before every attempt starts, and the orders that ask
 * delivery to act on its retry state (release, delete, flush, requeue), which each delivery worker
 * takes in order from its own cursor.
 *
 * <p>A hold or delete takes effect for every attempt that starts after it is applied here; an
 * attempt already under way completes (its transaction may be past DATA, and the next hop may have
 * taken the message).
 */
public final class QueueControl {
  // Orders kept for workers to take; a worker further behind than this misses the oldest ones,
  // which only costs a flush or requeue (holds and deletes are in the sets, never missed).
  private static final int KEPT_ORDERS = 10_000;

  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final Deque<QueueCommand> orders = new ArrayDeque<>();
  private long firstOrder; // sequence number of the first order in `orders`
  private long appliedOffset = -1;

  /** Nothing held or deleted, and nothing ever will be: for workers run without a control topic. */
  public static QueueControl none() {
    return new QueueControl();
  }

  /** Applies the order read at {@code offset} of the control topic. */
  public synchronized void apply(long offset, QueueCommand c) {
    switch (c.verb()) {
      case HOLD -> held.addAll(c.queueIds());
      case RELEASE -> held.removeAll(c.queueIds());
      case DELETE -> {
        deleted.addAll(c.queueIds());
        held.removeAll(c.queueIds());
      }
      case FLUSH, REQUEUE -> { }
    }
    if (c.verb() != QueueCommand.Verb.HOLD) {
      orders.addLast(c);
      if (orders.size() > KEPT_ORDERS) {
        orders.removeFirst();
        firstOrder++;
      }
    }
    appliedOffset = Math.max(appliedOffset, offset);
    notifyAll();
  }

  public boolean held(String queueId) {
    return held.contains(queueId);
  }

  public boolean deleted(String queueId) {
    return deleted.contains(queueId);
  }

  /** The sequence number the next order will have: a new worker's cursor, so that it acts on new orders only. */
  public synchronized long end() {
    return firstOrder + orders.size();
  }

  /**
   * Orders taken from a cursor.
   *
   * @param orders release, delete, flush and requeue orders, oldest first
   * @param next the cursor to take the following ones from
   */
  public record Orders(List<QueueCommand> orders, long next) {}

  /** The orders from sequence number {@code cursor} on. */
  public synchronized Orders since(long cursor) {
    List<QueueCommand> out = new ArrayList<>();
    long seq = firstOrder;
    for (QueueCommand c : orders) {
      if (seq++ >= cursor) {
        out.add(c);
      }
    }
    return new Orders(out, firstOrder + orders.size());
  }

  /** The last control topic offset applied, -1 before any. */
  public synchronized long appliedOffset() {
    return appliedOffset;
  }

  /** Waits until the order at {@code offset} is applied; false when {@code timeout} ran out first. */
  public synchronized boolean awaitApplied(long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (appliedOffset < offset) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
