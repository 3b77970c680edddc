package io.mailstream.ingress.server;

import io.mailstream.core.config.Listener;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.auth.Authenticator;
import io.mailstream.ingress.session.ControlReplies;
import io.mailstream.ingress.session.ConnectionSecurity;
import io.mailstream.ingress.session.SaslExchange;
import io.mailstream.ingress.session.TlsInfo;
import io.mailstream.ingress.session.Verb;
import io.mailstream.ingress.tls.ServerTls;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.BodyWriter;
import io.mailstream.ingress.publish.Submission;
import io.mailstream.ingress.session.ChunkPlan;
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
import java.time.Duration;
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
  private static final Duration AUTH_FAILURE_DELAY = Duration.ofSeconds(1);

  private final ServerContext context;
  private final Listener listener;
  private final SessionSetup setup;
  private MailstreamConfig config;
  private SmtpSession session;
  private LineFramer framer;
  private InputGate gate;
  private BodyReceiver body;
  private PendingCommit pending;
  /** The BDAT chunk being read, and its command line for the log; null between chunks. */
  private ChunkPlan chunk;
  private String chunkCommand;
  private boolean closing;
  private boolean draining;
  private boolean lookingUp;
  private int afterRefusedAuth;
  // An implicit-TLS handshake that completed before the session existed (during the look-up).
  private SslHandshakeCompletionEvent handshakeDone;
  private final RcptThrottle throttle = new RcptThrottle();

  /** @param setup the version this session runs under, taken when its connection was set up */
  SessionHandler(ServerContext context, Listener listener, SessionSetup setup) {
    this.context = context;
    this.listener = listener;
    this.setup = setup;
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
    if (session != null || lookingUp) {
      return;
    }
    framer = ctx.pipeline().get(LineFramer.class);
    gate = new InputGate(ctx.channel(), framer);
    Peer localUser = LocalSubmission.peerOf(ctx.channel());
    if (localUser != null) {
      greet(ctx, localUser); // the sendmail command: the kernel named the user, nothing to look up
      return;
    }
    InetAddress address = clientAddress(ctx);
    CompletableFuture<String> name = context.names().nameOf(address);
    if (name.isDone()) {
      greet(ctx, new Peer(address, name.getNow(null)));
      return;
    }
    // sendmail looks the client up before the banner. Nothing is read meanwhile, so what a client
    // says early still reaches the greet_pause check after the look-up. On an implicit-TLS port
    // the handshake must go on meanwhile (its own timer runs), and greet_pause does not apply.
    lookingUp = true;
    if (!listener.implicitTls()) {
      ctx.channel().config().setAutoRead(false);
    }
    name.whenComplete((found, error) -> onEventLoop(ctx, () -> {
      lookingUp = false;
      if (ctx.channel().isActive()) {
        ctx.channel().config().setAutoRead(true);
        greet(ctx, new Peer(address, found));
      }
    }));
  }

  private void greet(ChannelHandlerContext ctx, Peer peer) {
    if (context.drain().active()) {
      send(ctx, ControlReplies.shuttingDown(setup.config().hostname()));
      return;
    }
    config = setup.config();
    session = new SmtpSession(
        config, setup.policy(), security(), peer, context.queueIds(), context.clock(), context.stages(),
        context.storage());
    if (handshakeDone != null) {
      tlsHandshake(ctx, handshakeDone); // the implicit-TLS handshake finished during the look-up
      handshakeDone = null;
      if (closing) {
        return;
      }
    }
    if (!context.publisher().available()) {
      Reply refusal = Replies.queueUnreachable(config.hostname());
      MailLog.rejected(null, "connect", refusal, peer, null);
      context.metrics().refused("queue-unreachable");
      send(ctx, refusal);
      return;
    }
    Reply greeting = session.greeting();
    if (!greeting.isPositive()) {
      MailLog.rejected(null, "connect", greeting, peer, session.reason());
    }
    Duration pause = listener.implicitTls() ? Duration.ZERO : session.greetPause();
    if (!pause.isZero()) {
      GreetPause.hold(ctx, pause, session, greeting, reply -> send(ctx, reply));
      return;
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
      } else if (msg == Inbound.END_OF_CHUNK) {
        endOfChunk(ctx);
      } else if (msg == Inbound.BARE_LF) {
        Reply reply = session.bareLineFeed();
        MailLog.rejected(session.queueId(), "(bare LF)", reply, session.peer(), null);
        send(ctx, reply);
      } else if (msg == Inbound.NOT_UTF8) {
        // A NUL makes the line invalid both as a command and as an AUTH response.
        command(ctx, "\0");
      } else if (msg == Inbound.LINE_TOO_LONG) {
        Reply reply = session.authenticating() ? session.authLineTooLong() : session.lineTooLong();
        framer.maxLine(LineFramer.MAX_COMMAND_LINE);
        MailLog.rejected(session.queueId(), "(line too long)", reply, session.peer(), null);
        send(ctx, reply);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private ConnectionSecurity security() {
    return new ConnectionSecurity(
        context.tls() != null && !listener.implicitTls(),
        listener.implicitTls(),
        context.authenticator() != null,
        config.smtp().auth().allowPlaintext(),
        listener.requiresAuth());
  }

  private void command(ChannelHandlerContext ctx, String line) {
    if (session.authenticating()) {
      authStep(ctx, "AUTH response", session.authResponse(line));
      return;
    }
    Command command = Command.parse(line);
    if (throttle.holds(ctx, session, gate, command, () -> command(ctx, line))) {
      return;
    }
    if (command.verb() == Verb.AUTH) {
      // Only the mechanism is logged: an initial response holds the password.
      String mechanism = command.argument().split(" ", 2)[0];
      authStep(ctx, "AUTH " + mechanism, session.auth(command));
      return;
    }
    if (command.verb() == Verb.BDAT) {
      bdat(ctx, command, line);
      return;
    }
    Reply reply = session.on(command);
    if (session.startingTls()) {
      startTls(ctx, reply);
      return;
    }
    if (!reply.isPositive()) {
      // A client that sends its AUTH answers without waiting for a 334 that never came (its AUTH
      // was refused) has them refused as unknown commands: they may hold a password.
      boolean maybeCredentials = afterRefusedAuth > 0 && command.verb() == Verb.UNKNOWN;
      MailLog.rejected(session.queueId(), maybeCredentials ? "(unsolicited AUTH data)" : line, reply, session.peer(), session.reason());
    }
    afterRefusedAuth = Math.max(0, afterRefusedAuth - 1);
    send(ctx, reply);
    dropAbandonedBody();
    if (session.phase() == SmtpSession.Phase.DATA) {
      framer.dataMode();
      body = newBody(ctx);
    }
    endIfDraining(ctx); // a refused or reset transaction, or a session that never began one
  }

  /**
   * RFC 3207: the 220 leaves in the clear, everything after it is TLS. Whatever the client sent
   * after STARTTLS in the same packets is thrown away unread (CVE-2011-0411): it was never
   * protected, so it must not be executed as if it were.
   */
  private void startTls(ChannelHandlerContext ctx, Reply ready) {
    framer.discardBuffered();
    ctx.pipeline().addFirst("tls", context.tls().newHandler(ctx.alloc(), true));
    send(ctx, ready);
  }

  private void authStep(ChannelHandlerContext ctx, String what, SaslExchange.Step step) {
    // RFC 4954 4: the client's answers to a challenge may be 12288 octets long, commands not.
    framer.maxLine(session.authenticating() ? LineFramer.MAX_AUTH_LINE : LineFramer.MAX_COMMAND_LINE);
    if (step instanceof SaslExchange.Challenge challenge) {
      send(ctx, challenge.reply());
    } else if (step instanceof SaslExchange.Failed failed) {
      afterRefusedAuth = 2; // LOGIN's user name and password may follow unasked
      MailLog.rejected(null, what, failed.reply(), session.peer(), session.reason());
      send(ctx, failed.reply());
    } else {
      SaslExchange.Credentials c = (SaslExchange.Credentials) step;
      gate.pause(InputGate.Reason.AUTH);
      context
          .authenticator()
          .check(c.authzid(), c.authcid(), c.password())
          .whenComplete((outcome, error) -> onEventLoop(ctx, () -> authChecked(ctx, c, outcome)));
    }
  }

  private void authChecked(ChannelHandlerContext ctx, SaslExchange.Credentials c, Authenticator.Outcome outcome) {
    if (closing || session.phase() == SmtpSession.Phase.CLOSED) {
      return;
    }
    Reply reply =
        session.authChecked(
            c.authcid(), c.mechanism(), outcome == Authenticator.Outcome.ACCEPTED,
            outcome == null || outcome == Authenticator.Outcome.UNAVAILABLE);
    MailLog.auth(c.authcid(), c.mechanism(), reply, session.peer());
    Runnable answer = () -> {
      if (ctx.channel().isActive()) {
        send(ctx, reply);
        gate.resume(InputGate.Reason.AUTH);
      }
    };
    if (reply.isPositive() || outcome == null || outcome == Authenticator.Outcome.UNAVAILABLE) {
      answer.run();
    } else {
      // A wrong password is answered a second late, on a timer: guessing gets slow, nobody waits
      // on a thread, and the client's input stays paused meanwhile.
      ctx.executor().schedule(answer, AUTH_FAILURE_DELAY.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * BDAT (RFC 3030 2): the chunk that follows is read in any case; its octets go to the body
   * when the session accepts it, and nowhere otherwise. Replies come once the chunk is read.
   */
  private void bdat(ChannelHandlerContext ctx, Command command, String line) {
    ChunkPlan plan = session.bdat(command);
    if (plan.refusal() != null && plan.refusal().closesConnection()) {
      MailLog.rejected(session.queueId(), line, plan.refusal(), session.peer(), session.reason());
      send(ctx, plan.refusal());
      dropAbandonedBody();
      return;
    }
    if (plan.keep() && body == null) {
      body = newBody(ctx);
    }
    chunk = plan;
    chunkCommand = line;
    if (plan.size() == 0) {
      endOfChunk(ctx);
    } else {
      framer.chunkMode(plan.size(), plan.keep());
    }
  }

  private void endOfChunk(ChannelHandlerContext ctx) {
    ChunkPlan plan = chunk;
    chunk = null;
    if (plan.refusal() != null) {
      MailLog.rejected(session.queueId(), chunkCommand, plan.refusal(), session.peer(), session.reason());
      send(ctx, plan.refusal());
      dropAbandonedBody();
    } else if (plan.last()) {
      endOfData(ctx);
    } else {
      String queueId = session.queueId();
      Reply reply = session.endOfChunk(body.size());
      if (!reply.isPositive()) {
        MailLog.rejected(queueId, chunkCommand, reply, session.peer(), null);
      }
      send(ctx, reply);
      dropAbandonedBody();
    }
  }

  /** A message sent with BDAT that the session ended (RSET, EHLO, a refusal) is abandoned. */
  private void dropAbandonedBody() {
    if (body != null && !session.chunking() && session.phase() != SmtpSession.Phase.DATA) {
      body.abort();
      body = null;
    }
  }

  /** The receiver of the body that follows. */
  private BodyReceiver newBody(ChannelHandlerContext ctx) {
    return new BodyReceiver(begin(session.queueId()), config.limits().maxMessageSize(), ctx.executor(), gate);
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
      context.metrics().accepted(event, System.nanoTime() - commit.startedNanos);
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
    endIfDraining(ctx);
  }

  /**
   * The server is stopping (on this channel's event loop): the session ends now with 421 unless a
   * transaction is in progress, which is let finish; {@link #endIfDraining} ends it after that.
   */
  void drain(ChannelHandlerContext ctx) {
    draining = true;
    endIfDraining(ctx);
  }

  private void endIfDraining(ChannelHandlerContext ctx) {
    if (!draining || closing || lookingUp || !ctx.channel().isActive()) {
      return; // a session still looking its client up is refused when it would greet
    }
    boolean idle = session == null
        || pending == null && body == null && chunk == null
            && (session.phase() == SmtpSession.Phase.CONNECTED || session.phase() == SmtpSession.Phase.READY);
    if (idle) {
      Reply reply = ControlReplies.shuttingDown(config != null ? config.hostname() : context.config().hostname());
      if (session != null) {
        MailLog.rejected(null, "(stopping)", reply, session.peer(), null);
      }
      send(ctx, reply);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent handshake) {
      if (session != null) {
        tlsHandshake(ctx, handshake);
      } else if (handshake.isSuccess()) {
        handshakeDone = handshake;
      } else {
        Peer peer = new Peer(clientAddress(ctx), null);
        MailLog.tlsFailed(peer, handshake.cause());
        closing = true;
        ctx.close();
      }
      return;
    }
    if (!(evt instanceof IdleStateEvent) || session == null || closing) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    if (pending != null || gate.heldForServer() || ctx.pipeline().get(GreetPause.class) != null) {
      // The wait is ours, not the client's: the accept deadline bounds a commit, the queue's
      // acknowledgements a paused body, and a client waiting for a paused banner or a throttled
      // reply is not late with its next line. The timer runs on and the client gets its full time
      // once input flows again.
      return;
    }
    // sendmail's words for the two waits: Timeout.command and Timeout.datablock.
    String during = body != null || chunk != null ? "message collect" : "server cmd read";
    if (body != null) {
      body.abort();
      body = null;
    }
    Reply reply = session.timedOut();
    MailLog.timedOut(session.queueId(), during, reply, session.peer());
    send(ctx, reply);
    if (!ctx.channel().isWritable()) {
      // A client that stopped reading its replies would never take the 421 either, and the close
      // waits for it to be written: end the connection now instead of holding it forever.
      ctx.close();
    }
  }

  private void tlsHandshake(ChannelHandlerContext ctx, SslHandshakeCompletionEvent handshake) {
    if (!handshake.isSuccess()) {
      MailLog.tlsFailed(session.peer(), handshake.cause());
      closing = true;
      ctx.close();
      return;
    }
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    TlsInfo info = ServerTls.describe(ssl.engine().getSession());
    session.tlsStarted(info);
    MailLog.tlsStarted(info, session.peer());
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
    if (cause instanceof IOException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      LOG.debug("closing {} after {}", ctx.channel(), cause.toString());
    } else {
      LOG.warn("closing {} after an unexpected error", ctx.channel(), cause);
    }
    ctx.close();
  }

  private void send(ChannelHandlerContext ctx, Reply reply) {
    if (reply.code() >= 400) {
      context.metrics().rejected(reply.code());
    }
    ChannelFuture written = ctx.writeAndFlush(reply);
    if (reply.closesConnection()) {
      closing = true;
      gate.pause(InputGate.Reason.CLOSING);
      written.addListener(ChannelFutureListener.CLOSE);
    } else if (!ctx.channel().isWritable()) {
      gate.pause(InputGate.Reason.REPLIES);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // The replies drained below the low water mark: the client reads again, so it is read again.
    // A task of its own, as InputGate.resume requires (this can fire inside a flush of a read).
    if (gate != null && ctx.channel().isWritable()) {
      onEventLoop(ctx, () -> gate.resume(InputGate.Reason.REPLIES));
    }
    ctx.fireChannelWritabilityChanged();
  }

  private static void onEventLoop(ChannelHandlerContext ctx, Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("event loop gone; dropping completion for {}", ctx.channel());
    }
  }

  private static InetAddress clientAddress(ChannelHandlerContext ctx) {
    InetAddress address = ClientAddress.of(ctx.channel());
    if (address == null) {
      throw new IllegalStateException("not an IP connection: " + ctx.channel().remoteAddress());
    }
    return address;
  }

  /** The wait for one message's commit: whichever of queue and deadline comes first wins. */
  private static final class PendingCommit {
    final String queueId;
    final long startedNanos = System.nanoTime();
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
