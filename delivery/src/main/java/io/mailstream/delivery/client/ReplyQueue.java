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
 * The last handler of a client channel: hands decoded replies from the event loop to whoever waits
 * for them. Session set-up (greeting, EHLO, STARTTLS, AUTH) waits on the queue from a connect
 * thread; a mail transaction registers a {@link Listener} and is called on the event loop instead,
 * reply after reply (several at once when it pipelines). A queue rather than a single future also
 * keeps a reply the server sent early (a {@code 421} before the command) for the next reader.
 */
final class ReplyQueue extends ChannelInboundHandlerAdapter {
  /** Marks the end of the stream; stays in the queue so that every later wait sees it too. */
  private static final Object CLOSED = new Object();

  /** Where the connector leaves each channel's queue for the {@link SmtpConnection}. */
  static final AttributeKey<ReplyQueue> KEY = AttributeKey.valueOf(ReplyQueue.class, "replies");

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Throwable failure;
  private volatile boolean quitting;
  // Set and cleared on the event loop only; while set, replies go to it instead of the queue.
  private Listener listener;

  /** Told of replies on the channel's event loop. */
  interface Listener {
    void onReply(SmtpResponse reply);

    /** The connection closed; {@code cause} is what broke it, or null for an orderly close. */
    void onClosed(Throwable cause);
  }

  /**
   * Sends every later reply to {@code l} instead of the queue, starting with any already queued.
   * Must be called on the channel's event loop.
   */
  void listen(Listener l) {
    listener = l;
    Object next;
    while (listener == l && (next = queue.poll()) != null) {
      if (next == CLOSED) {
        queue.add(CLOSED);
        listener = null;
        l.onClosed(failure);
        return;
      }
      l.onReply((SmtpResponse) next);
    }
  }

  /** Back to queueing; on the event loop. */
  void unlisten() {
    listener = null;
  }

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
      } else if (listener != null) {
        listener.onReply(r);
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
    Listener l = listener;
    listener = null;
    if (l != null) {
      l.onClosed(failure);
    }
    ctx.fireChannelInactive();
  }
}
