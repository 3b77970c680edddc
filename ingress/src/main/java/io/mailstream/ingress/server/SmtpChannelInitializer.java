package io.mailstream.ingress.server;

import io.mailstream.core.config.Listener;
import io.mailstream.ingress.session.ControlReplies;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The ingress pipeline of one connection, from the socket up:
 *
 * <ol>
 *   <li>on a {@code proxy} listener, the PROXY header of a trusted load balancer ({@link
 *       ProxyHeaderHandler}), which installs the rest once it names the client;
 *   <li>TLS, from the start on an implicit-TLS listener (after STARTTLS it is added here);
 *   <li>the connection limits ({@link ConnectionLimits}): a client over one gets a 421 from
 *       {@link ConnectionRefusal} instead of everything below;
 *   <li>flush consolidation, so that the replies to a pipelined group leave in one packet;
 *   <li>the idle timer, {@code smtp.command-timeout} (RFC 5321 4.5.3.2.7), between commands and
 *       within DATA alike;
 *   <li>{@link LineFramer}: command lines with their length limit, or DATA pieces;
 *   <li>{@link DataDecoder}: dot-unstuffing and the end of DATA;
 *   <li>{@link ReplyEncoder} (outbound);
 *   <li>{@link SessionHandler}: the SMTP session and the hand-over to the queue.
 * </ol>
 */
class SmtpChannelInitializer extends ChannelInitializer<Channel> {
  private final ServerContext context;
  private final Listener listener;
  private final ConnectionLimits limits;

  SmtpChannelInitializer(ServerContext context, Listener listener) {
    this(context, listener, null);
  }

  /** With the server's connection limits, checked before a session starts; null for none. */
  SmtpChannelInitializer(ServerContext context, Listener listener, ConnectionLimits limits) {
    this.context = context;
    this.listener = listener;
    this.limits = limits;
  }

  @Override
  protected void initChannel(Channel ch) {
    context.metrics().connected(listener, ch);
    if (context.drain().active()) {
      context.metrics().refused("shutting-down");
      ConnectionRefusal.install(ch, ControlReplies.shuttingDown(context.config().hostname()));
      return;
    }
    if (listener.proxyProtocol()) {
      // TLS, limits and the session follow once the header has named the client.
      ProxyHeaderHandler.install(ch.pipeline(), context, listener, limits);
      return;
    }
    if (listener.implicitTls()) {
      ch.pipeline().addLast("tls", context.tls().newHandler(ch.alloc(), false));
    }
    if (limits != null && !ConnectionRefusal.admit(ch, limits, context)) {
      return; // a 421 instead of a session
    }
    configure(ch.pipeline(), context, listener);
  }

  static void configure(ChannelPipeline p, ServerContext context) {
    configure(p, context, Listener.mta(context.config().listen().get(0).address()));
  }

  static void configure(ChannelPipeline p, ServerContext context, Listener listener) {
    // The session's version is taken here, once, so that its time-out and everything else it
    // runs under come from the same version even if a reload lands while it starts.
    SessionSetup setup = context.setup().get();
    long timeout = context.commandTimeout(setup).toNanos();
    p.addLast("flush", new FlushConsolidationHandler(64, true));
    p.addLast("idle", new IdleStateHandler(timeout, 0, 0, TimeUnit.NANOSECONDS));
    p.addLast("framer", new LineFramer());
    p.addLast("data", new DataDecoder());
    p.addLast("replies", ReplyEncoder.INSTANCE);
    p.addLast("session", new SessionHandler(context, listener, setup));
  }
}
