package io.mailstream.delivery.worker;

import io.mailstream.core.event.Destination;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How much of a worker's in-flight budget one destination may take, and the mail that waits for
 * its destination's share to free up: Postfix's per-destination queues in the active queue. A
 * destination that answers slowly or not at all (a smart host that accepts connections and never
 * greets holds each transaction for the host wait) keeps at most {@code limit} messages in flight;
 * what comes for it beyond that waits here, in order, without holding a slot of the budget, so that
 * mail for every other destination on the same partitions is still started.
 *
 * <p>Not thread-safe: the worker's own thread uses it.
 *
 * @param <T> what waits: a record and its routed message
 */
final class DestinationShares<T> {
  private final int limit;
  private final Map<Destination, Integer> inFlight = new HashMap<>();
  // Destinations in the order their first waiting message came, so that none starves.
  private final Map<Destination, ArrayDeque<T>> waiting = new LinkedHashMap<>();
  private int waitingCount;

  /** @param limit messages one destination may have in flight at once, at least 1 */
  DestinationShares(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a destination's share must be at least 1: " + limit);
    }
    this.limit = limit;
  }

  /**
   * Takes a slot of {@code destination}'s share when it has one free and nothing of it is waiting
   * (mail for one destination starts in the order it came).
   */
  boolean take(Destination destination) {
    if (waiting.containsKey(destination) || inFlight.getOrDefault(destination, 0) >= limit) {
      return false;
    }
    inFlight.merge(destination, 1, Integer::sum);
    return true;
  }

  /** Queues {@code item} until {@code destination}'s share has room ({@link #ready}). */
  void await(Destination destination, T item) {
    waiting.computeIfAbsent(destination, d -> new ArrayDeque<>()).add(item);
    waitingCount++;
  }

  /** Gives back the slot of a message of {@code destination} that finished. */
  void release(Destination destination) {
    inFlight.computeIfPresent(destination, (d, n) -> n == 1 ? null : n - 1);
  }

  /**
   * Up to {@code max} waiting items whose destination has room now, each with its slot taken, in
   * the order they came per destination.
   */
  List<T> ready(int max) {
    List<T> out = new ArrayList<>();
    for (Iterator<Map.Entry<Destination, ArrayDeque<T>>> it = waiting.entrySet().iterator();
        it.hasNext() && out.size() < max; ) {
      Map.Entry<Destination, ArrayDeque<T>> e = it.next();
      ArrayDeque<T> queue = e.getValue();
      while (!queue.isEmpty() && out.size() < max && inFlight.getOrDefault(e.getKey(), 0) < limit) {
        out.add(queue.poll());
        inFlight.merge(e.getKey(), 1, Integer::sum);
        waitingCount--;
      }
      if (queue.isEmpty()) {
        it.remove();
      }
    }
    return out;
  }

  /** Forgets the waiting items {@code gone} matches (their records are read again by whoever owns them). */
  void forget(Predicate<T> gone) {
    for (Iterator<ArrayDeque<T>> it = waiting.values().iterator(); it.hasNext(); ) {
      ArrayDeque<T> queue = it.next();
      int before = queue.size();
      queue.removeIf(gone);
      waitingCount -= before - queue.size();
      if (queue.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Messages waiting for their destination's share. */
  int waiting() {
    return waitingCount;
  }

  /** Messages of {@code destination} in flight now. */
  int inFlight(Destination destination) {
    return inFlight.getOrDefault(destination, 0);
  }
}
