package io.mailstream.ingress.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Undoes dot-stuffing and finds the end of DATA (RFC 5321 4.5.2): a line that starts with a period
 * loses that period, and a line that is only a period ends the data. Everything else passes on
 * exactly as received.
 *
 * <p>{@link LineFramer} guarantees that a line starting with a period starts a piece and ends it
 * (the piece is that line, or its beginning), and that a piece ends at a CRLF or with what is
 * buffered: so only a piece's first octet can be a period to remove, and the terminating line is
 * always a piece of its own, after which nothing of the pipelined input has been framed.
 */
final class DataDecoder extends MessageToMessageDecoder<Inbound.Raw> {
  private boolean atLineStart = true;
  private boolean dotRemoved;

  DataDecoder() {
    super(Inbound.Raw.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Inbound.Raw raw, List<Object> out) {
    ByteBuf piece = raw.content();
    int from = piece.readerIndex();
    int length = piece.readableBytes();
    if (atLineStart && piece.getByte(from) == '.') {
      from++;
      length--;
      dotRemoved = true;
    }
    boolean endsLine = endsWithCrlf(piece);
    if (dotRemoved && length == 2 && endsLine) {
      // The line was "." alone, its period perhaps in an earlier piece: <CRLF>.<CRLF> ends the
      // data, and nothing of that line is content.
      atLineStart = true;
      dotRemoved = false;
      out.add(Inbound.END_OF_DATA);
      return;
    }
    if (length > 0) {
      out.add(piece.retainedSlice(from, length));
    }
    atLineStart = endsLine;
    if (endsLine || length > 0) {
      dotRemoved = false;
    }
  }

  private static boolean endsWithCrlf(ByteBuf piece) {
    int end = piece.writerIndex();
    return piece.readableBytes() >= 2
        && piece.getByte(end - 2) == '\r'
        && piece.getByte(end - 1) == '\n';
  }
}
