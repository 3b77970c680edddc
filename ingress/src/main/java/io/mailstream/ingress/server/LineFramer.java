package io.mailstream.ingress.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits the byte stream into command lines, or during DATA into raw pieces that end at a CRLF.
 *
 * <p>It emits one item per decode step, so a handler further up that switches the mode (after 354,
 * after the final dot) does so before the next octet is framed: pipelined commands and DATA
 * content in one packet land where they belong. While paused it frames nothing, keeping pipelined
 * input in its buffer until the session is ready for it.
 */
final class LineFramer extends ByteToMessageDecoder {
  // RFC 5321 4.5.3.1.4: 512 octets per command line, the CRLF included.
  static final int MAX_COMMAND_LINE = 512;

  private boolean dataMode;
  private boolean paused;
  private boolean discarding;
  private ChannelHandlerContext ctx;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** After 354: frame DATA content from the next octet on. */
  void dataMode() {
    dataMode = true;
  }

  /** After the final dot: frame commands again. */
  void commandMode() {
    dataMode = false;
  }

  /** Frames nothing more until {@link #resume}; the caller also stops reading the socket. */
  void pause() {
    paused = true;
  }

  boolean paused() {
    return paused;
  }

  /** Frames what was buffered while paused. Must run on the event loop, outside a decode. */
  void resume() throws Exception {
    paused = false;
    if (internalBuffer().isReadable()) {
      channelRead(ctx, Unpooled.EMPTY_BUFFER);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (paused) {
      return;
    }
    if (dataMode) {
      decodeData(in, out);
    } else {
      decodeCommand(in, out);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (paused) {
      // The decoder would ask for another read when nothing was decoded; while paused that would
      // pull unbounded input into the buffer.
      ctx.fireChannelReadComplete();
    } else {
      super.channelReadComplete(ctx);
    }
  }

  private void decodeCommand(ByteBuf in, List<Object> out) {
    if (!discarding) {
      int end = Math.min(in.writerIndex(), in.readerIndex() + MAX_COMMAND_LINE);
      int lf = in.indexOf(in.readerIndex(), end, (byte) '\n');
      if (lf >= 0) {
        int length = lf - in.readerIndex();
        if (length > 0 && in.getByte(lf - 1) == '\r') {
          length--;
        }
        String text = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        out.add(new Inbound.Line(text));
        return;
      }
      if (in.readableBytes() < MAX_COMMAND_LINE) {
        return;
      }
      discarding = true;
    }
    // The line is too long: drop it up to its end, then say so once, in turn with other replies.
    int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    if (lf < 0) {
      in.skipBytes(in.readableBytes());
      return;
    }
    in.readerIndex(lf + 1);
    discarding = false;
    out.add(Inbound.LINE_TOO_LONG);
  }

  /**
   * Passes on DATA octets up to and including the first CRLF, or all that is there when no CRLF
   * is, except a trailing CR, held back so that a CRLF is never split between two pieces. Only
   * CRLF ends a piece: bare LF and bare CR are ordinary content (RFC 5321 2.3.8, 4.1.1.4).
   */
  private void decodeData(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int from = start;
    while (true) {
      int lf = in.indexOf(from, in.writerIndex(), (byte) '\n');
      if (lf < 0) {
        break;
      }
      if (lf > start && in.getByte(lf - 1) == '\r') {
        out.add(new Inbound.Raw(in.readRetainedSlice(lf + 1 - start)));
        return;
      }
      from = lf + 1;
    }
    int length = in.readableBytes();
    if (in.getByte(in.writerIndex() - 1) == '\r') {
      length--;
    }
    if (length > 0) {
      out.add(new Inbound.Raw(in.readRetainedSlice(length)));
    }
  }
}
