package io.mailstream.ingress.server;

import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.session.SmtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * FEATURE(greet_pause): the banner waits, and a client that sends anything before it, even part
 * of a line, is greeted with 554 and refused everything that could lead to a message
 * (srvrsmtp.c). It sits in front of the framer so that every octet counts; what such a client
 * sends during the pause is held, with the socket no longer read, and framed after the 554 so
 * that each of its commands gets its refusal in turn. The wait is a timer on the event loop.
 */
final class GreetPause extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = io.mailstream.core.envelope.MailLog.LOG;
  // What a client that talks first can make the server hold: a read or two; the rest is dropped.
  private static final int MAX_HELD = 64 * 1024;

  private final List<ByteBuf> held = new ArrayList<>();
  private final long started = System.nanoTime();
  private int heldBytes;
  private boolean waiting = true;
  private long talkedAfterNanos = -1;
  private ScheduledFuture<?> timer;

  private GreetPause() {}

  /**
   * Holds the banner back for {@code pause}, then sends {@code greeting}, or the 554 of {@link
   * SmtpSession#talkedFirst} when the client talked first.
   *
   * @param ctx the session handler's context
   * @param send sends a reply as the session handler does
   */
  static void hold(
      ChannelHandlerContext ctx, Duration pause, SmtpSession session, Reply greeting, Consumer<Reply> send) {
    GreetPause p = new GreetPause();
    ctx.pipeline().addBefore("framer", "greet-pause", p);
    p.timer =
        ctx.executor()
            .schedule(() -> p.end(ctx, session, greeting, send), pause.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void end(ChannelHandlerContext ctx, SmtpSession session, Reply greeting, Consumer<Reply> send) {
    waiting = false;
    if (!ctx.channel().isActive()) {
      releaseHeld();
      return;
    }
    if (talkedAfterNanos >= 0) {
      Reply reply = session.talkedFirst();
      // srvrsmtp.c's words, so that existing log watchers keep working.
      LOG.info(
          "NOQUEUE: rejecting commands from {} due to pre-greeting traffic after {} seconds",
          session.peer().relay(),
          Math.round(talkedAfterNanos / 1e9));
      send.accept(reply);
    } else {
      send.accept(greeting);
    }
    List<ByteBuf> pending = new ArrayList<>(held);
    held.clear();
    ChannelHandlerContext mine = ctx.pipeline().context(this);
    ctx.channel().config().setAutoRead(true);
    if (mine != null) {
      for (ByteBuf b : pending) {
        mine.fireChannelRead(b);
      }
      if (!pending.isEmpty()) {
        mine.fireChannelReadComplete();
      }
      ctx.pipeline().remove(this);
    } else {
      pending.forEach(ReferenceCountUtil::release);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!waiting || !(msg instanceof ByteBuf b)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (talkedAfterNanos < 0 && b.isReadable()) {
      talkedAfterNanos = System.nanoTime() - started;
    }
    // Stop reading: TCP pushes back on a client that keeps talking into the pause.
    ctx.channel().config().setAutoRead(false);
    if (heldBytes + b.readableBytes() > MAX_HELD) {
      b.release();
      return;
    }
    heldBytes += b.readableBytes();
    held.add(b);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!waiting) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null && waiting) {
      timer.cancel(false);
    }
    releaseHeld();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseHeld();
    ctx.fireChannelInactive();
  }

  private void releaseHeld() {
    held.forEach(ReferenceCountUtil::release);
    held.clear();
  }
}
