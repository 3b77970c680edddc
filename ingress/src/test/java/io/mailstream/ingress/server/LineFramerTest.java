package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LineFramer}'s limits (AUTH lines, the {@code maxLine} hook), its refusal of bare LF and
 * of lines that are not UTF-8, and BDAT chunks, with the input cut everywhere.
 */
class LineFramerTest {

  @ParameterizedTest(name = "{0} octets")
  @CsvSource({"2048, LINE", "12288, LINE", "12289, TOO_LONG"})
  void authLinesMayHave12288Octets(int length, String expected) {
    String line = "auth " + "x".repeat(length - 7);
    byte[] bytes = (line + "\r\nNOOP\r\n").getBytes(StandardCharsets.US_ASCII);
    String want = (expected.equals("LINE") ? "line " + (length - 2) : "TOO_LONG") + ";line 4";
    for (int cut = 0; cut <= bytes.length; cut += 1009) {
      assertEquals(want, run(bytes, cut, null), "cut at " + cut);
    }
  }

  @Test
  void maxLineRaisesTheLimitForTheNextLines() {
    byte[] bytes = ("x".repeat(12286) + "\r\n" + "y".repeat(12287) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    assertEquals("line 12286;TOO_LONG", run(bytes, 0, f -> f.maxLine(LineFramer.MAX_AUTH_LINE)));
    assertEquals("TOO_LONG;TOO_LONG", run(bytes, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new LineFramer().maxLine(511));
  }

  @Test
  void bareLfAndMalformedUtf8AreReported() {
    byte[] bytes = {'N', 'O', 'O', 'P', '\n', (byte) 0xff, '\r', '\n', (byte) 0xc3, (byte) 0xa9, '\r', '\n'};
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals("BARE_LF;NOT_UTF8;line 1", run(bytes, cut, null), "cut at " + cut);
    }
  }

  @Test
  void chunksAreReadExactlyWhereverTheInputIsCut() {
    byte[] bytes = "BDAT 7\r\n.\r\nx\r\n\nBDAT 0 LAST\r\nBDAT 3\r\nabcNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
    String want = "line 6;[.\r\nx\r\n\n];line 11;line 6;[abc];line 4";
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals(want, run(bytes, cut, null), "cut at " + cut);
    }
  }

  @Test
  void refusedChunksAreReadAndDropped() {
    byte[] bytes = "BDAT 6 x\r\nRSET\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals("line 8;[dropped];line 4", run(bytes, cut, null), "cut at " + cut);
    }
  }

  private interface Setup {
    void apply(LineFramer framer);
  }

  private static String run(byte[] bytes, int cut, Setup setup) {
    Collector c = new Collector();
    LineFramer framer = new LineFramer();
    EmbeddedChannel ch = new EmbeddedChannel(framer, new DataDecoder(), c);
    if (setup != null) {
      setup.apply(framer);
    }
    ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, cut)));
    ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, cut, bytes.length)));
    ch.finishAndReleaseAll();
    return String.join(";", c.seen);
  }

  /** Plays the session's part for BDAT: keeps a chunk unless its command has a third word. */
  private static final class Collector extends ChannelInboundHandlerAdapter {
    final List<String> seen = new ArrayList<>();
    private ByteArrayOutputStream chunk;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Inbound.Line line) {
        seen.add("line " + line.text().length());
        String[] words = line.text().split(" ");
        if (words[0].equals("BDAT")) {
          long size = Long.parseLong(words[1]);
          boolean keep = words.length < 3 || words[2].equals("LAST");
          chunk = keep ? new ByteArrayOutputStream() : null;
          if (size == 0) {
            return;
          }
          ctx.pipeline().get(LineFramer.class).chunkMode(size, keep);
        }
      } else if (msg == Inbound.END_OF_CHUNK) {
        seen.add(chunk == null ? "[dropped]" : "[" + chunk.toString(StandardCharsets.ISO_8859_1) + "]");
      } else if (msg instanceof ByteBuf b) {
        byte[] data = new byte[b.readableBytes()];
        b.readBytes(data);
        chunk.writeBytes(data);
        b.release();
      } else {
        seen.add(msg == Inbound.LINE_TOO_LONG ? "TOO_LONG" : msg == Inbound.BARE_LF ? "BARE_LF" : "NOT_UTF8");
      }
    }
  }
}
