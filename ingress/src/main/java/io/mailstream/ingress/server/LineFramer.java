package io.mailstream.ingress.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits the byte stream into command lines, during DATA into raw pieces that end at a CRLF, and
 * after BDAT into exactly the chunk's octets (RFC 3030 2: no dot-stuffing, no end marker).
 *
 * <p>It emits one item per decode step, so a handler further up that switches the mode (after 354,
 * after the final dot) does so before the next octet is framed: pipelined commands and DATA
 * content in one packet land where they belong. While paused it frames nothing, keeping pipelined
 * input in its buffer until the session is ready for it.
 */
final class LineFramer extends ByteToMessageDecoder {
  /**
   * Octets in a command line, the CRLF included. RFC 5321 4.5.3.1.4 sets 512 and lets extensions
   * add to it: SIZE 26 (RFC 1870 8), BODY=8BITMIME 16 (RFC 1652), RET and ENVID 100 and NOTIFY
   * and ORCPT 500 (RFC 3461 4), SMTPUTF8 10 (RFC 6531), AUTH= 500 (RFC 4954 5), so no MAIL or RCPT
   * line needs more than 512 + 26 + 16 + 100 + 10 + 500 = 1164. Mailstream takes 2048 for every
   * command, sendmail's MAXLINE and Postfix's line_length_limit: above every allowance, so no
   * client that keeps to the RFCs is ever refused, and small enough to bound memory.
   */
  static final int MAX_COMMAND_LINE = 2048;

  /** RFC 4954 4: an AUTH command or response line may have 12288 octets, the CRLF included. */
  static final int MAX_AUTH_LINE = 12288;

  private static final byte[] AUTH = "AUTH ".getBytes(StandardCharsets.US_ASCII);

  private int maxLine = MAX_COMMAND_LINE;
  private long chunkLeft;
  private boolean keepChunk;
  private boolean dataMode;
  // In DATA: whether the next octet starts a line (the last piece ended with CRLF).
  private boolean dataLineStart;
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
    dataLineStart = true;
  }

  /** After the final dot: frame commands again. */
  void commandMode() {
    dataMode = false;
  }

  /**
   * After BDAT: pass on the next {@code size} octets exactly as they come (as {@link ByteBuf}s,
   * or nothing when {@code keep} is false and they are to be thrown away), then {@link
   * Inbound#END_OF_CHUNK}, then frame commands again. A size of zero frames nothing.
   */
  void chunkMode(long size, boolean keep) {
    chunkLeft = size;
    keepChunk = keep;
  }

  /**
   * Sets the longest command line read, CRLF included, from the next line on: {@link
   * #MAX_AUTH_LINE} while the session waits for the client's answer to an AUTH challenge (RFC 4954
   * 4), {@link #MAX_COMMAND_LINE} again after it. A line that starts with {@code AUTH } may always
   * be {@link #MAX_AUTH_LINE} long, so the AUTH command itself needs no call.
   */
  void maxLine(int octets) {
    if (octets < 512) {
      throw new IllegalArgumentException("RFC 5321 4.5.3.1.4: at least 512, got " + octets);
    }
    maxLine = octets;
  }

  /**
   * Throws away every octet received but not yet framed (after STARTTLS: CVE-2011-0411). Called
   * from a handler further up while this decoder passes on a line, it ends the decode loop too.
   */
  void discardBuffered() {
    ByteBuf buffered = internalBuffer();
    buffered.skipBytes(buffered.readableBytes());
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
    if (chunkLeft > 0) {
      decodeChunk(in, out);
    } else if (dataMode) {
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
      int limit = lineLimit(in);
      int end = Math.min(in.writerIndex(), in.readerIndex() + limit);
      int lf = in.indexOf(in.readerIndex(), end, (byte) '\n');
      if (lf >= 0) {
        out.add(line(in, lf));
        return;
      }
      if (in.readableBytes() < limit) {
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

  private int lineLimit(ByteBuf in) {
    if (in.readableBytes() < AUTH.length) {
      return maxLine;
    }
    for (int i = 0; i < AUTH.length; i++) {
      if ((in.getByte(in.readerIndex() + i) & 0xdf) != (AUTH[i] & 0xdf)) {
        return maxLine;
      }
    }
    return Math.max(maxLine, MAX_AUTH_LINE);
  }

  /**
   * The line that ends at {@code lf}. Only CRLF ends a command line (RFC 5321 2.3.8); a bare LF
   * leaves no telling where the client meant the line to end, and is reported as such. A line
   * that is not UTF-8 (RFC 6531 3.3 allows UTF-8, RFC 5321 only ASCII) is reported too, rather
   * than read with replacement characters that could pass for a UTF-8 address.
   */
  private static Object line(ByteBuf in, int lf) {
    int start = in.readerIndex();
    in.readerIndex(lf + 1);
    if (lf == start || in.getByte(lf - 1) != '\r') {
      return Inbound.BARE_LF;
    }
    try {
      return new Inbound.Line(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(in.nioBuffer(start, lf - 1 - start))
              .toString());
    } catch (CharacterCodingException e) {
      return Inbound.NOT_UTF8;
    }
  }

  /** Passes on (or drops) what there is of the current BDAT chunk, and says when it is complete. */
  private void decodeChunk(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(in.readableBytes(), chunkLeft);
    if (n == 0) {
      return;
    }
    chunkLeft -= n;
    if (keepChunk) {
      out.add(in.readRetainedSlice(n));
    } else {
      in.skipBytes(n);
    }
    if (chunkLeft == 0) {
      out.add(Inbound.END_OF_CHUNK);
    }
  }

  /**
   * Passes on DATA octets up to and including the first CRLF, or all that is there when no CRLF
   * is, except a trailing CR, held back so that a CRLF is never split between two pieces. Only
   * CRLF ends a piece: bare LF and bare CR are ordinary content (RFC 5321 2.3.8, 4.1.1.4).
   */
  /**
   * One piece of DATA content: every complete line up to the next line that starts with a period,
   * which begins a piece of its own and is alone in it ({@link DataDecoder} unstuffs it, or ends
   * the data with it, looking only at a piece's first octet); or, with no complete line buffered,
   * what there is, less a CR that may be the start of a CRLF. The rest of a line begun in an
   * earlier piece is alone in its piece too, since that line may be the final period. Lines without
   * a leading period pass in bulk: a 100 KiB body is a handful of pieces, not one per line.
   */
  private void decodeData(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    boolean firstLineAlone = !dataLineStart || in.getByte(start) == '.';
    int pieceEnd = -1;
    int from = start;
    while (from < end) {
      int lf = in.indexOf(from, end, (byte) '\n');
      if (lf < 0) {
        break;
      }
      from = lf + 1;
      if (lf == start || in.getByte(lf - 1) != '\r') {
        continue; // A bare LF ends no line (RFC 5321 2.3.8); the body check reports it.
      }
      pieceEnd = from;
      if (firstLineAlone || from == end || in.getByte(from) == '.') {
        break;
      }
    }
    if (pieceEnd > 0) {
      dataLineStart = true;
      out.add(new Inbound.Raw(in.readRetainedSlice(pieceEnd - start)));
      return;
    }
    int length = in.readableBytes();
    if (in.getByte(end - 1) == '\r') {
      length--;
    }
    if (length > 0) {
      dataLineStart = false;
      out.add(new Inbound.Raw(in.readRetainedSlice(length)));
    }
  }
}
