package io.mailstream.ingress.server;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.session.Peer;
import io.mailstream.ingress.session.Policy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;

/**
 * Admits a new connection against the server's {@link ConnectionLimits}, or instead of a session
 * gives it a pipeline that says the 421 and closes, reading nothing the client sends.
 */
final class ConnectionRefusal extends ChannelInboundHandlerAdapter {
  private final Reply reply;
  private boolean said;

  private ConnectionRefusal(Reply reply) {
    this.reply = reply;
  }

  /**
   * Checks {@code ch}; true when it may go on to a session, whose end then releases its place.
   * On false the refusal is already installed in the pipeline.
   */
  static boolean admit(Channel ch, ConnectionLimits limits, ServerContext context) {
    InetAddress address = ClientAddress.of(ch);
    if (address == null) {
      return true; // not an IP connection: nothing to count it against
    }
    SessionSetup setup = context.setup().get();
    MailstreamConfig config = setup.config();
    Policy policy = setup.policy();
    ConnectionLimits.PerClient perClient = new ConnectionLimits.PerClient(
        policy.connectionLimit(AccessDb.Limit.RATE, address, config.smtp().connectionRateThrottle()),
        policy.connectionLimit(AccessDb.Limit.CONN, address, config.smtp().maxConnectionsPerIp()));
    ConnectionLimits.Decision d = limits.admit(address, config.smtp(), perClient, config.hostname());
    if (d.admitted()) {
      ch.closeFuture().addListener(f -> d.ticket().close());
      return true;
    }
    MailLog.rejected(null, "connect", d.refusal(), new Peer(address, null), d.reason());
    // The reason starts with the setting that refused: max-connections, connection-rate-throttle, ...
    context.metrics().refused(d.reason().substring(0, d.reason().indexOf(' ')));
    ch.pipeline().addLast("replies", ReplyEncoder.INSTANCE);
    ch.pipeline().addLast("refusal", new ConnectionRefusal(d.refusal()));
    return false;
  }

  /** Answers {@code ch} with {@code reply} and closes it, instead of a session. */
  static void install(Channel ch, Reply reply) {
    ch.pipeline().addLast("replies", ReplyEncoder.INSTANCE);
    ch.pipeline().addLast("refusal", new ConnectionRefusal(reply));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      say(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    say(ctx);
  }

  private void say(ChannelHandlerContext ctx) {
    if (!said) {
      said = true;
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }
}
