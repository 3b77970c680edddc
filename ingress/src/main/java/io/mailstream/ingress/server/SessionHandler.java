package io.mailstream.ingress.server;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.BodyWriter;
import io.mailstream.ingress.publish.Submission;
import io.mailstream.ingress.session.Command;
import io.mailstream.ingress.session.DataResult;
import io.mailstream.ingress.session.Peer;
import io.mailstream.ingress.session.Replies;
import io.mailstream.ingress.session.SmtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one connection's {@link SmtpSession} and carries out what it decides: sends replies,
 * switches framing for DATA, streams the body to the publisher and, at the end of DATA, waits for
 * the queue without blocking the event loop, with input paused so pipelined commands wait too.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  private final ServerContext context;
  private MailstreamConfig config;
  private SmtpSession session;
  private LineFramer framer;
  private InputGate gate;
  private BodyReceiver body;
  private PendingCommit pending;
  private boolean closing;

  SessionHandler(ServerContext context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    if (session != null) {
      return;
    }
    framer = ctx.pipeline().get(LineFramer.class);
    gate = new InputGate(ctx.channel(), framer);
    Peer peer = new Peer(clientAddress(ctx.channel().remoteAddress()), null);
    SessionSetup setup = context.setup().get();
    config = setup.config();
    session = new SmtpSession(config, setup.policy(), peer, context.queueIds(), context.clock());
    if (!context.publisher().available()) {
      Reply refusal = Replies.queueUnreachable(config.hostname());
      MailLog.rejected(null, "connect", refusal, peer, null);
      send(ctx, refusal);
      return;
    }
    Reply greeting = session.greeting();
    if (!greeting.isPositive()) {
      MailLog.rejected(null, "connect", greeting, peer, session.reason());
    }
    send(ctx, greeting);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (closing || session == null) {
        return;
      }
      if (msg instanceof Inbound.Line line) {
        command(ctx, line.text());
      } else if (msg instanceof ByteBuf data) {
        body.accept(data);
      } else if (msg == Inbound.END_OF_DATA) {
        endOfData(ctx);
      } else if (msg == Inbound.LINE_TOO_LONG) {
        Reply reply = session.lineTooLong();
        MailLog.rejected(session.queueId(), "(line too long)", reply, session.peer(), null);
        send(ctx, reply);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void command(ChannelHandlerContext ctx, String line) {
    Reply reply = session.on(Command.parse(line));
    if (!reply.isPositive()) {
      MailLog.rejected(session.queueId(), line, reply, session.peer(), session.reason());
    }
    send(ctx, reply);
    if (session.phase() == SmtpSession.Phase.DATA) {
      framer.dataMode();
      body = new BodyReceiver(
          begin(session.queueId()), config.limits().maxMessageSize(), ctx.executor(), gate);
    }
  }

  private BodyWriter begin(String queueId) {
    if (session.discarding()) {
      return DiscardingWriter.INSTANCE; // nothing of a discarded message reaches the queue
    }
    try {
      return context.publisher().begin(queueId);
    } catch (RuntimeException e) {
      // The client is told at the end of DATA (451), when the commit fails.
      return new UnavailableWriter(e);
    }
  }

  private void endOfData(ChannelHandlerContext ctx) {
    framer.commandMode();
    BodyReceiver received = body;
    body = null;
    String queueId = session.queueId();
    DataResult result = session.endOfData(received.finish());
    if (result instanceof DataResult.Rejected rejected) {
      received.abort();
      MailLog.rejected(queueId, "end of DATA", rejected.reply(), session.peer(), null);
      send(ctx, rejected.reply());
      return;
    }
    if (result instanceof DataResult.Discarded discarded) {
      received.abort();
      MailLog.discarded(discarded, session.peer());
      send(ctx, discarded.reply());
      return;
    }
    Submission submission = ((DataResult.Ready) result).submission();
    gate.pause(InputGate.Reason.COMMIT);
    PendingCommit commit = new PendingCommit(queueId);
    pending = commit;
    // RFC 5321 4.5.3.2.6: the client waits 10 minutes for the reply to the final dot; the accept
    // deadline (30 s by default) answers well before that, so the client never gives up first.
    commit.timer =
        ctx.executor()
            .schedule(
                () -> committed(ctx, commit, null, new TimeoutException("accept deadline passed")),
                config.limits().acceptDeadline().toNanos(),
                TimeUnit.NANOSECONDS);
    CompletableFuture<MessageAccepted> stored = received.commit(submission);
    stored.whenComplete((event, error) -> onEventLoop(ctx, () -> committed(ctx, commit, event, error)));
  }

  private void committed(
      ChannelHandlerContext ctx, PendingCommit commit, MessageAccepted event, Throwable error) {
    if (commit.done) {
      if (event != null) {
        MailLog.lateCommit(commit.queueId, session.peer());
      }
      return;
    }
    commit.done = true;
    commit.timer.cancel(false);
    pending = null;
    boolean connected = session.phase() == SmtpSession.Phase.COMMIT;
    if (event != null) {
      MailLog.accepted(event, session.peer());
    }
    if (!connected) {
      return; // the client has gone; nothing to tell it
    }
    Reply reply = event != null ? session.committed(event) : session.notCommitted();
    if (event == null) {
      MailLog.notCommitted(commit.queueId, reply, error, session.peer());
    }
    send(ctx, reply);
    gate.resume(InputGate.Reason.COMMIT);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof IdleStateEvent) || session == null || closing) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    if (pending != null) {
      return; // the wait is ours, not the client's; the accept deadline bounds it
    }
    if (body != null) {
      body.abort();
      body = null;
    }
    Reply reply = session.timedOut();
    MailLog.rejected(session.queueId(), "(idle)", reply, session.peer(), null);
    send(ctx, reply);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      if (body != null) {
        body.abort();
        body = null;
        MailLog.lostConnection(session.queueId(), "DATA", session.peer());
      } else if (pending != null) {
        MailLog.lostConnection(pending.queueId, "commit", session.peer());
      }
      session.disconnected();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("closing {} after {}", ctx.channel(), cause.toString());
    } else {
      LOG.warn("closing {} after an unexpected error", ctx.channel(), cause);
    }
    ctx.close();
  }

  private void send(ChannelHandlerContext ctx, Reply reply) {
    ChannelFuture written = ctx.writeAndFlush(reply);
    if (reply.closesConnection()) {
      closing = true;
      gate.pause(InputGate.Reason.CLOSING);
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void onEventLoop(ChannelHandlerContext ctx, Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("event loop gone; dropping completion for {}", ctx.channel());
    }
  }

  private static InetAddress clientAddress(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    throw new IllegalStateException("not an IP connection: " + remote);
  }

  /** The wait for one message's commit: whichever of queue and deadline comes first wins. */
  private static final class PendingCommit {
    final String queueId;
    ScheduledFuture<?> timer;
    boolean done;

    PendingCommit(String queueId) {
      this.queueId = queueId;
    }
  }

  /** Takes the body of a discarded message and keeps none of it. */
  private enum DiscardingWriter implements BodyWriter {
    INSTANCE;

    @Override
    public CompletableFuture<Void> write(byte[] chunk) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<MessageAccepted> commit(Submission submission) {
      throw new IllegalStateException("a discarded message is never committed");
    }

    @Override
    public void abort() {}
  }

  /** Stands in for a writer the publisher could not start, so the failure surfaces as 451. */
  private record UnavailableWriter(RuntimeException cause) implements BodyWriter {
    @Override
    public CompletableFuture<Void> write(byte[] chunk) {
      return CompletableFuture.failedFuture(cause);
    }

    @Override
    public CompletableFuture<MessageAccepted> commit(Submission submission) {
      return CompletableFuture.failedFuture(cause);
    }

    @Override
    public void abort() {}
  }
}
