package io.mailstream.delivery.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a client channel: hands decoded replies from the event loop to the delivery
 * thread that waits for them. The client never pipelines, so at most one reply is expected at a
 * time; a queue rather than a single future also keeps a reply the server sent early (a {@code
 * 421} before the command) for the next wait.
 */
final class ReplyQueue extends ChannelInboundHandlerAdapter {
  /** Marks the end of the stream; stays in the queue so that every later wait sees it too. */
  private static final Object CLOSED = new Object();

  /** Where the connector leaves each channel's queue for the {@link SmtpConnection}. */
  static final AttributeKey<ReplyQueue> KEY = AttributeKey.valueOf(ReplyQueue.class, "replies");

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Throwable failure;
  private volatile boolean quitting;

  /** Thrown by {@link #poll} once the connection is closed. */
  static final class ClosedException extends Exception {
    private static final long serialVersionUID = 1L;

    ClosedException(Throwable cause) {
      super(cause == null ? "connection closed" : cause.toString(), cause);
    }
  }

  /**
   * The next reply, or null when none came within {@code timeout}.
   *
   * @throws ClosedException when the connection closed before a reply came
   */
  SmtpResponse poll(Duration timeout) throws InterruptedException, ClosedException {
    Object next = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (next == CLOSED) {
      queue.add(CLOSED);
      throw new ClosedException(failure);
    }
    return (SmtpResponse) next;
  }

  /** Whether a reply is waiting that nobody asked for yet. */
  boolean pending() {
    return !queue.isEmpty();
  }

  /** After QUIT, the channel is closed as soon as the server answers, whatever the answer. */
  void quitting() {
    quitting = true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof SmtpResponse r) {
      if (quitting) {
        ctx.close();
      } else {
        queue.add(r);
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reply line over the limit or garbage from the server: the session cannot go on.
    failure = cause;
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    queue.add(CLOSED);
    ctx.fireChannelInactive();
  }
}
