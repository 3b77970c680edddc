package io.mailstream.ops.node;

import io.mailstream.queue.topic.RecordFailedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One worker slot of the {@link StageSupervisor}: the thread that runs one worker after another,
 * and what is known about how they fared.
 */
public final class SupervisedWorker<W extends Runnable & AutoCloseable> {
  private static final Logger log = StageSupervisor.log();

  /** Where the slot is. */
  public enum State {
    /** A worker is being built. */
    STARTING,
    /** A worker runs. */
    RUNNING,
    /** The last worker failed; the next one starts after the back-off. */
    RESTARTING,
    /** Closed. */
    STOPPED
  }

  private final String name;
  private final Supplier<W> factory;
  private final Restarts restarts;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Thread thread;
  // Written by the slot's thread, read by health checks and close().
  private volatile State state = State.STARTING;
  private volatile W current;
  private volatile boolean everStarted;
  private volatile int failuresInARow;
  private volatile int restartCount;
  private volatile String lastFailure;
  private volatile long runningSince;
  // The first worker, built by start() on the caller's thread; handed to the slot's thread.
  private W first;

  SupervisedWorker(String name, Supplier<W> factory, Restarts restarts) {
    this.name = name;
    this.factory = factory;
    this.restarts = restarts;
    this.thread = new Thread(this::superviseLoop, name);
  }

  /**
   * Builds the first worker on the calling thread, so that a node's workers exist once it has
   * started, then runs it on the slot's thread; a first worker that cannot be built is tried
   * again there after the back-off.
   */
  void start() {
    long started = System.nanoTime();
    try {
      first = factory.get();
      current = first;
    } catch (RuntimeException e) {
      failed(started, e.toString(), e);
    }
    thread.start();
  }

  public String name() {
    return name;
  }

  public State state() {
    return state;
  }

  /** The worker running now (or the last one), null before the first was built. */
  public W current() {
    return current;
  }

  /** How many workers have been started after a failure. */
  public int restarts() {
    return restartCount;
  }

  private void superviseLoop() {
    if (first == null && !awaitRestart()) {
      state = State.STOPPED;
      return;
    }
    while (stopping.getCount() > 0) {
      state = State.STARTING;
      long started = System.nanoTime();
      try {
        W worker = first != null ? first : factory.get();
        first = null;
        synchronized (this) {
          current = worker;
          if (stopping.getCount() == 0) {
            closeQuietly(worker); // built while the node stopped: run() only releases its clients
          }
        }
        everStarted = true;
        runningSince = started;
        state = State.RUNNING;
        worker.run();
        if (stopping.getCount() == 0) {
          break;
        }
        failed(started, "ended by itself", null);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        if (stopping.getCount() == 0) {
          break;
        }
        failed(started, e instanceof RecordFailedException ? e.getMessage() : e.toString(), e);
      }
      if (!awaitRestart()) {
        break;
      }
    }
    if (first != null) {
      releaseUnstarted(first); // stopped before its thread got to it
    }
    state = State.STOPPED;
  }

  private void releaseUnstarted(W worker) {
    first = null;
    closeQuietly(worker);
    try {
      worker.run(); // a closed worker's run() only releases its Kafka clients
    } catch (RuntimeException e) {
      log.warn("{}: error while stopping: {}", name, e.toString());
    }
  }

  private void failed(long started, String what, Throwable e) {
    Duration ran = Duration.ofNanos(System.nanoTime() - started);
    // A worker that ran as long as the longest back-off had recovered: count afresh.
    failuresInARow = ran.compareTo(restarts.max()) >= 0 ? 1 : failuresInARow + 1;
    lastFailure = what;
    state = State.RESTARTING;
    Duration delay = restarts.delayAfter(failuresInARow);
    String stage = everStarted ? "failed" : "could not start";
    log.error("{} {} after {}: {}; starting another in {} (failure {} in a row)",
        name, stage, StageSupervisor.durationText(ran), what, StageSupervisor.durationText(delay), failuresInARow, e);
    if (failuresInARow == restarts.downAfter()) {
      log.error("{} is down: the ingress answers 451 4.3.0 to new mail until it runs again", name);
    }
  }

  private boolean awaitRestart() {
    try {
      if (stopping.await(restarts.delayAfter(failuresInARow).toNanos(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    restartCount++;
    return true;
  }

  /** Why this slot's stage cannot run now, or empty. */
  Optional<String> downReason(long now) {
    if (state == State.STOPPED) {
      return Optional.empty();
    }
    if (!everStarted && failuresInARow > 0) {
      return Optional.of(name + " could not start: " + lastFailure);
    }
    boolean recovered = state == State.RUNNING && now - runningSince >= restarts.max().toNanos();
    if (failuresInARow >= restarts.downAfter() && !recovered) {
      return Optional.of(name + " failed " + failuresInARow + " times in a row: " + lastFailure);
    }
    return Optional.empty();
  }

  String describe(long now) {
    StringBuilder b = new StringBuilder(name).append(' ');
    Optional<String> down = downReason(now);
    b.append(down.isPresent() ? "down" : state.name().toLowerCase(java.util.Locale.ROOT));
    if (restartCount > 0 || failuresInARow > 0) {
      b.append(" (restarts ").append(restartCount).append(", failures in a row ").append(failuresInARow);
      if (lastFailure != null) {
        b.append(", last: ").append(lastFailure);
      }
      b.append(')');
    }
    return b.toString();
  }

  private void closeQuietly(W worker) {
    try {
      worker.close();
    } catch (Exception e) {
      log.warn("{}: error while stopping: {}", name, e.toString());
    }
  }

  /** Stops the slot: closes the running worker and waits for its thread. */
  void stop(Duration wait) {
    synchronized (this) {
      stopping.countDown();
      W w = current;
      if (w != null) {
        closeQuietly(w);
      }
    }
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
