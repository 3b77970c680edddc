package io.mailstream.ingress.server;

import io.mailstream.core.event.MessageAccepted;
import io.mailstream.ingress.publish.BodyWriter;
import io.mailstream.ingress.publish.Submission;
import io.mailstream.ingress.session.BodySummary;
import io.mailstream.ingress.session.HeaderScanner;
import io.mailstream.queue.codec.BodyChunk;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Receives one message body, from DATA or from the chunks of BDAT: counts its octets and measures
 * its lines, scans its header section (Received hops, Message-ID, which of the fields sendmail adds
 * to local mail when missing it has) and streams it to a {@link BodyWriter} in chunks of {@link BodyChunk#MAX_SIZE}, so that a session never holds more
 * than one chunk. While more than one chunk is unacknowledged, input is paused (back-pressure from
 * the queue to the client's TCP window).
 *
 * <p>Past the size limit the body is counted but dropped: the client must be read up to its final
 * dot before it can be told 552 (RFC 1870 6.2).
 */
final class BodyReceiver {
  private static final int FIRST_BUFFER = 16 * 1024;

  private final BodyWriter writer;
  private final long maxSize;
  private final Executor eventLoop;
  private final InputGate gate;
  private final HeaderScanner headers = new HeaderScanner();
  private final BodyLines lines = new BodyLines();
  private byte[] buffer = new byte[FIRST_BUFFER];
  private int filled;
  private long size;
  private int chunks;
  private int unacknowledged;
  private boolean paused;
  private boolean dropped;
  // A chunk the queue refused: the message can only end in 451 now.
  private boolean failed;

  BodyReceiver(BodyWriter writer, long maxSize, Executor eventLoop, InputGate gate) {
    this.writer = writer;
    this.maxSize = maxSize;
    this.eventLoop = eventLoop;
    this.gate = gate;
  }

  /** Takes the next dot-unstuffed octets; does not release {@code data}. */
  void accept(ByteBuf data) {
    int length = data.readableBytes();
    size += length;
    if (headers.inHeader()) {
      data.forEachByte(headers::update);
    }
    if (size > maxSize || dropped) {
      // Refused already, or now: nothing is kept; the line checks still see every octet.
      lines.scan(data);
      drop();
      return;
    }
    int index = data.readerIndex();
    int end = index + length;
    while (index < end) {
      int n = Math.min(end - index, BodyChunk.MAX_SIZE - filled);
      ensureRoom(n);
      data.getBytes(index, buffer, filled, n);
      // The octets are looked at where they were copied to: one plain loop over an array.
      lines.scan(buffer, filled, filled + n);
      filled += n;
      index += n;
      if (filled == BodyChunk.MAX_SIZE) {
        emit(false);
      }
    }
  }

  /** The data ended: writes the last chunk (an empty one for an empty body) and sums up. */
  BodySummary finish() {
    if (!dropped && (filled > 0 || chunks == 0)) {
      emit(true);
    }
    buffer = null;
    headers.finish();
    return new BodySummary(
        size, headers.hops(), headers.messageId(), lines.finish(), lines.longestLine(), headers.originatorFields());
  }

  /** Octets received so far (after dot-unstuffing), counted past the limit. */
  long size() {
    return size;
  }

  CompletableFuture<MessageAccepted> commit(Submission submission) {
    try {
      return writer.commit(submission);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Abandons the message, for a refusal or a lost connection. */
  void abort() {
    buffer = null;
    if (!dropped) {
      dropped = true;
      writer.abort();
    }
  }

  private void drop() {
    if (!dropped) {
      abort();
    }
  }

  private void ensureRoom(int n) {
    if (filled + n > buffer.length) {
      int capacity = Math.max(buffer.length * 2, filled + n);
      buffer = Arrays.copyOf(buffer, Math.min(capacity, BodyChunk.MAX_SIZE));
    }
  }

  private void emit(boolean last) {
    if (failed) {
      // The queue already refused a chunk and the commit will fail with it: read the rest of the
      // body at the client's pace, without making it wait for a broker that is not there.
      filled = 0;
      chunks++;
      buffer = last ? null : buffer;
      return;
    }
    byte[] chunk = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
    // A body that filled one chunk is likely to fill the next: start that one at full size.
    buffer = last ? null : new byte[BodyChunk.MAX_SIZE];
    filled = 0;
    chunks++;
    unacknowledged++;
    CompletableFuture<Void> stored;
    try {
      stored = writer.write(chunk);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    stored.whenComplete((ok, error) -> onEventLoop(() -> acknowledged(error)));
    // After the last chunk the commit holds input back anyway.
    if (unacknowledged > 1 && !last && !paused) {
      paused = true;
      gate.pause(InputGate.Reason.BACKPRESSURE);
    }
  }

  // A failed chunk fails the commit, which waits for every chunk; later chunks are not sent.
  private void acknowledged(Throwable error) {
    if (error != null) {
      failed = true;
    }
    unacknowledged--;
    if (paused && unacknowledged <= 1) {
      paused = false;
      gate.resume(InputGate.Reason.BACKPRESSURE);
    }
  }

  private void onEventLoop(Runnable task) {
    try {
      eventLoop.execute(task);
    } catch (RejectedExecutionException e) {
      // The server is shutting down; the connection goes with it.
    }
  }
}
