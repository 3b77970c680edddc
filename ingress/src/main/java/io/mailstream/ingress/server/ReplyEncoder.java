package io.mailstream.ingress.server;

import io.mailstream.core.smtp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes replies in their wire form: code, enhanced status, text, CRLF per line. */
@Sharable
final class ReplyEncoder extends MessageToByteEncoder<Reply> {
  static final ReplyEncoder INSTANCE = new ReplyEncoder();

  private ReplyEncoder() {
    super(Reply.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) {
    out.writeCharSequence(reply.toWire(), StandardCharsets.UTF_8);
  }
}
