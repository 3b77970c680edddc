package io.mailstream.ops.node;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the router and delivery workers of a node, each on a thread of its own, and starts a new
 * worker when one ends other than by {@link #close}: the failure is logged (with the record it was
 * handling, when the worker names it) and the next worker starts after {@link Restarts}' back-off.
 *
 * <p>A stage that cannot run (its worker could not be built even once, or failed {@link
 * Restarts#downAfter} times in a row) is <em>down</em>: {@link #down} says why, the ingress of this
 * node answers {@code 451 4.3.0} at MAIL instead of accepting mail that would wait for a stage
 * that is not there, and {@code GET /health} reports it. Restarts go on meanwhile, so a stage that
 * comes back brings the ingress back by itself.
 */
public final class StageSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StageSupervisor.class);

  private final Restarts restarts;
  private final List<SupervisedWorker<?>> workers = new CopyOnWriteArrayList<>();

  public StageSupervisor(Restarts restarts) {
    this.restarts = restarts;
  }

  /**
   * Starts a thread named {@code name} that runs workers from {@code factory}, one at a time, a
   * new one after each failure.
   *
   * @param factory builds a fresh worker (a failed one has closed its Kafka clients); may throw
   *     when the stage cannot start, which counts as a failure
   */
  public <W extends Runnable & AutoCloseable> SupervisedWorker<W> supervise(String name, Supplier<W> factory) {
    SupervisedWorker<W> w = new SupervisedWorker<>(name, factory, restarts);
    workers.add(w);
    w.start();
    return w;
  }

  /** Why a stage of this node cannot run now, naming the first such worker; empty when all can. */
  public Optional<String> down() {
    long now = System.nanoTime();
    return workers.stream().map(w -> w.downReason(now)).flatMap(Optional::stream).findFirst();
  }

  /** One line per worker: its name, state, failures and the last failure; for logs and /health. */
  public String report() {
    if (workers.isEmpty()) {
      return "no router or delivery stage in this process\n";
    }
    long now = System.nanoTime();
    return workers.stream().map(w -> w.describe(now)).collect(Collectors.joining("\n", "", "\n"));
  }

  /** Every worker supervised, in the order they were started. */
  List<SupervisedWorker<?>> workers() {
    return List.copyOf(workers);
  }

  /** Stops every worker, the last started first, each after the record in hand. */
  @Override
  public void close() {
    for (int i = workers.size() - 1; i >= 0; i--) {
      workers.get(i).stop(Duration.ofSeconds(30));
    }
  }

  static String durationText(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }

  static Logger log() {
    return log;
  }
}
