package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The supervisor with workers that fail on purpose: restarts, back-off, and when a stage is down. */
class StageSupervisorTest {
  private static final Restarts QUICK = new Restarts(Duration.ofMillis(10), Duration.ofMillis(80), 3);

  /** A worker that throws from run() when told to, or else runs until closed. */
  static final class FakeWorker implements Runnable, AutoCloseable {
    private final RuntimeException failure;
    private final CountDownLatch closed = new CountDownLatch(1);

    FakeWorker(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public void run() {
      if (failure != null) {
        throw failure;
      }
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void aWorkerKilledByAnExceptionIsRestartedAndTheStageStaysUp() throws Exception {
    List<FakeWorker> built = new CopyOnWriteArrayList<>();
    try (StageSupervisor supervisor = new StageSupervisor(QUICK)) {
      SupervisedWorker<FakeWorker> slot = supervisor.supervise("router-0", () -> {
        FakeWorker w = new FakeWorker(built.isEmpty() ? new IllegalStateException("injected") : null);
        built.add(w);
        return w;
      });
      Await.until(() -> slot.restarts() == 1 && slot.state() == SupervisedWorker.State.RUNNING,
          Duration.ofSeconds(10), "the second worker");
      assertEquals(2, built.size());
      assertSame(built.get(1), slot.current());
      assertTrue(supervisor.down().isEmpty(), "one failure is not a stage down");
      assertEquals("router-0 running (restarts 1, failures in a row 1, last: java.lang.IllegalStateException: injected)\n",
          supervisor.report());
    }
    assertEquals(2, built.size(), "no worker started after close");
  }

  @Test
  void aStageThatKeepsFailingIsDownAndComesBackWhenItRunsAgain() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<String> downBeforeFourth = new java.util.concurrent.atomic.AtomicReference<>();
    try (StageSupervisor supervisor = new StageSupervisor(QUICK)) {
      // Fails three times, then runs: down after the third failure, up once it has run a while.
      supervisor.supervise("delivery-0", () -> {
        if (starts.incrementAndGet() <= 3) {
          return new FakeWorker(new IllegalStateException("broken #" + starts.get()));
        }
        downBeforeFourth.set(supervisor.down().orElse("up"));
        return new FakeWorker(null);
      });
      Await.until(() -> supervisor.down().isEmpty() && starts.get() == 4, Duration.ofSeconds(10), "the stage up again");
      assertEquals("delivery-0 failed 3 times in a row: java.lang.IllegalStateException: broken #3", downBeforeFourth.get());
      assertTrue(supervisor.report().startsWith("delivery-0 running (restarts 3, failures in a row 3"), supervisor.report());
    }
  }

  @Test
  void aStageThatCouldNotStartIsDownAtOnce() throws Exception {
    Restarts slow = new Restarts(Duration.ofSeconds(30), Duration.ofSeconds(30), 5);
    try (StageSupervisor supervisor = new StageSupervisor(slow)) {
      supervisor.supervise("delivery-0", () -> {
        throw new IllegalStateException("cannot open retry state");
      });
      Await.until(() -> supervisor.down().isPresent(), Duration.ofSeconds(10), "the stage down");
      assertEquals("delivery-0 could not start: java.lang.IllegalStateException: cannot open retry state",
          supervisor.down().get());
    }
  }

  @Test
  void aNodeWithoutStagesIsNeverDown() {
    try (StageSupervisor supervisor = new StageSupervisor(Restarts.DEFAULT)) {
      assertTrue(supervisor.down().isEmpty());
      assertEquals("no router or delivery stage in this process\n", supervisor.report());
    }
  }

  @Test
  void backOffDoublesUpToTheMaximum() {
    List<Duration> waits = List.of(1, 2, 3, 4, 5, 6, 7).stream().map(Restarts.DEFAULT::delayAfter).toList();
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), waits.stream().map(Duration::toSeconds).toList());
  }
}
