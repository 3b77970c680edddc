package io.mailstream.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The way a delivery worker takes an attempt back before its transaction has begun: when the
 * message's partition leaves the worker (a rebalance) or the worker stops, an attempt still waiting
 * for a connection is withdrawn instead of waited for. Nothing of it went out, so the partition's
 * next owner attempts it without sending it twice; and a destination that takes every connection
 * and never answers no longer holds the whole delivery group's rebalance for the host wait.
 *
 * <p>An attempt whose transaction has begun is not withdrawn: it ends with its replies, and the
 * worker waits for it as before. Thread-safe: the worker withdraws, the mailer's threads look.
 */
public final class Withdrawal {
  private volatile boolean withdrawn;
  private volatile CompletableFuture<?> waiting;

  /** An attempt taken back before its transaction began; the worker does not record it. */
  public static final class WithdrawnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WithdrawnException(String queueId) {
      super(queueId + ": withdrawn before its transaction began", null, false, false);
    }
  }

  /** Takes the attempt back: a wait it is in now, or begins later, ends at once. */
  public void withdraw() {
    withdrawn = true;
    CompletableFuture<?> w = waiting;
    if (w != null) {
      w.completeExceptionally(new WithdrawnException("attempt"));
    }
  }

  /** Whether the attempt was taken back; a mailer looks before it begins a transaction. */
  public boolean withdrawn() {
    return withdrawn;
  }

  /** The wait for a connection the attempt is in now: a withdrawal ends it. */
  public void waitingFor(CompletableFuture<?> wait) {
    waiting = wait;
    if (withdrawn) {
      wait.completeExceptionally(new WithdrawnException("attempt"));
    }
  }

  /** Whether {@code error} (or what it wraps) says that an attempt was withdrawn. */
  public static boolean isWithdrawn(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof WithdrawnException;
  }
}
