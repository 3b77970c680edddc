package io.mailstream.ingress.server;

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
 *   <li>flush consolidation, so that the replies to a pipelined group leave in one packet;
 *   <li>the idle timer (RFC 5321 4.5.3.2.7);
 *   <li>{@link LineFramer}: command lines with their length limit, or DATA pieces;
 *   <li>{@link DataDecoder}: dot-unstuffing and the end of DATA;
 *   <li>{@link ReplyEncoder} (outbound);
 *   <li>{@link SessionHandler}: the SMTP session and the hand-over to the queue.
 * </ol>
 */
class SmtpChannelInitializer extends ChannelInitializer<Channel> {
  private final ServerContext context;

  SmtpChannelInitializer(ServerContext context) {
    this.context = context;
  }

  @Override
  protected void initChannel(Channel ch) {
    configure(ch.pipeline(), context);
  }

  static void configure(ChannelPipeline p, ServerContext context) {
    p.addLast("flush", new FlushConsolidationHandler(64, true));
    p.addLast("idle", new IdleStateHandler(context.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
    p.addLast("framer", new LineFramer());
    p.addLast("data", new DataDecoder());
    p.addLast("replies", ReplyEncoder.INSTANCE);
    p.addLast("session", new SessionHandler(context));
  }
}
