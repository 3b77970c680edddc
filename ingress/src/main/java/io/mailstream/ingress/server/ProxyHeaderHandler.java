package io.mailstream.ingress.server;

import io.mailstream.core.config.Listener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a connection on a {@code proxy} listener: before anything else the load balancer
 * sends an HAProxy PROXY header (v1 text or v2 binary, decoded by Netty's {@link
 * HAProxyMessageDecoder}) naming the real client. Only a proxy in {@code smtp.trusted-proxies} is
 * believed; a connection from anywhere else, or one without a valid header, is closed without a
 * word, as Postfix's postscreen does: answering would let a client that bypassed the balancer talk
 * SMTP under the balancer's address. Once the client is known the connection becomes an ordinary
 * one: connection limits for that client, then the SMTP pipeline.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHeaderHandler.class);
  // HAProxy writes the header with the connection; a peer that has not sent it by then never will.
  private static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);

  private final ServerContext context;
  private final Listener listener;
  private final ConnectionLimits limits;
  private ScheduledFuture<?> deadline;

  ProxyHeaderHandler(ServerContext context, Listener listener, ConnectionLimits limits) {
    this.context = context;
    this.listener = listener;
    this.limits = limits;
  }

  /** Puts the PROXY decoder and this handler first in a new connection's pipeline. */
  static void install(ChannelPipeline p, ServerContext context, Listener listener, ConnectionLimits limits) {
    p.addLast("proxy-decoder", new HAProxyMessageDecoder());
    p.addLast("proxy-header", new ProxyHeaderHandler(context, listener, limits));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress proxy = ClientAddress.peer(ctx.channel());
    if (proxy == null || !context.setup().get().config().smtp().trustsProxy(proxy)) {
      LOG.warn("{}: connection from {} closed: not in smtp.trusted-proxies", listener, proxy);
      refuse(ctx);
      return;
    }
    deadline = ctx.executor().schedule(() -> {
      LOG.warn("{}: no PROXY header from {} within {} s; closing", listener, proxy, HEADER_DEADLINE.toSeconds());
      refuse(ctx);
    }, HEADER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    // The session starts once the header names the client, not now.
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage header)) {
      ReferenceCountUtil.release(msg);
      refuse(ctx);
      return;
    }
    InetAddress client;
    try {
      client = clientOf(header, ClientAddress.peer(ctx.channel()));
    } finally {
      header.release();
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (client == null) {
      LOG.warn("{}: PROXY header from {} names no TCP client; closing", listener, ClientAddress.peer(ctx.channel()));
      refuse(ctx);
      return;
    }
    ctx.channel().attr(ClientAddress.PROXIED).set(client);
    ChannelPipeline p = ctx.pipeline();
    p.remove(this);
    if (listener.implicitTls()) {
      p.addLast("tls", context.tls().newHandler(ctx.alloc(), false));
    }
    if (limits != null && !ConnectionRefusal.admit(ctx.channel(), limits, context)) {
      return; // a 421 instead of a session
    }
    // The handlers see an active channel when they are added, and start from there.
    SmtpChannelInitializer.configure(p, context, listener);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("{}: bad PROXY header from {}: {}; closing", listener, ClientAddress.peer(ctx.channel()), cause.getMessage());
    refuse(ctx);
  }

  private void refuse(ChannelHandlerContext ctx) {
    if (ctx.channel().isOpen()) {
      context.metrics().refused("proxy");
    }
    ctx.close();
  }

  /**
   * The real client of a PROXY command; for LOCAL (the balancer's own health check) the balancer
   * itself. Null when the header names no TCP over IP client (UNKNOWN, UNIX sockets).
   */
  private static InetAddress clientOf(HAProxyMessage header, InetAddress proxy) {
    if (header.command() == HAProxyCommand.LOCAL) {
      return proxy;
    }
    HAProxyProxiedProtocol protocol = header.proxiedProtocol();
    if (protocol != HAProxyProxiedProtocol.TCP4 && protocol != HAProxyProxiedProtocol.TCP6) {
      return null;
    }
    try {
      return InetAddress.getByName(header.sourceAddress()); // a literal: no look-up
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
