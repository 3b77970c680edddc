package io.mailstream.ingress.testing;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.ingress.publish.BodyWriter;
import io.mailstream.ingress.publish.MessagePublisher;
import io.mailstream.ingress.publish.Submission;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A publisher that keeps messages in memory and completes its futures on a thread of its own, as
 * Kafka's would; or fails them, or never completes them.
 */
public final class MemoryPublisher implements MessagePublisher {
  /** How commits end. */
  public enum Mode {
    ACCEPT,
    FAIL,
    NEVER
  }

  /** A committed message and its body. */
  public record Stored(MessageAccepted event, byte[] body, int chunks) {}

  private final ExecutorService completer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "memory-publisher");
    t.setDaemon(true);
    return t;
  });
  private final LinkedBlockingQueue<Stored> committed = new LinkedBlockingQueue<>();
  private final AtomicInteger aborted = new AtomicInteger();
  private final AtomicInteger maxChunk = new AtomicInteger();
  private volatile Mode mode;

  public MemoryPublisher(Mode mode) {
    this.mode = mode;
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  public int aborted() {
    return aborted.get();
  }

  /** The largest chunk written so far. */
  public int maxChunk() {
    return maxChunk.get();
  }

  /** The next committed message, waiting up to {@code timeout}; null if none came. */
  public Stored next(Duration timeout) throws InterruptedException {
    return committed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Stored poll() {
    return committed.poll();
  }

  @Override
  public BodyWriter begin(String queueId) {
    return new Writer();
  }

  @Override
  public void close() {
    completer.shutdownNow();
  }

  private final class Writer implements BodyWriter {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<Long> offsets = new ArrayList<>();

    @Override
    public CompletableFuture<Void> write(byte[] chunk) {
      maxChunk.accumulateAndGet(chunk.length, Math::max);
      body.writeBytes(chunk);
      offsets.add((long) offsets.size());
      return CompletableFuture.runAsync(() -> {}, completer);
    }

    @Override
    public CompletableFuture<MessageAccepted> commit(Submission submission) {
      Mode m = mode;
      if (m == Mode.NEVER) {
        return new CompletableFuture<>();
      }
      return CompletableFuture.supplyAsync(
          () -> {
            if (m == Mode.FAIL) {
              throw new IllegalStateException("queue down (test)");
            }
            MessageAccepted event = submission.toEvent(new BodyRef(0, offsets, body.size()));
            committed.add(new Stored(event, body.toByteArray(), offsets.size()));
            return event;
          },
          completer);
    }

    @Override
    public void abort() {
      aborted.incrementAndGet();
    }
  }
}
