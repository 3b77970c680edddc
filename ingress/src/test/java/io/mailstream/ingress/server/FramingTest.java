package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * {@link LineFramer} and {@link DataDecoder} together, with the input cut in two at every possible
 * place and also fed byte by byte: the commands and bodies seen must not depend on the cuts.
 */
class FramingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          simple            | DATA\\r\\nhello\\r\\n.\\r\\nQUIT\\r\\n                 | DATA;[hello\\r\\n];QUIT
          empty body        | DATA\\r\\n.\\r\\nNOOP\\r\\n                         | DATA;[];NOOP
          stuffed dots      | DATA\\r\\n..a\\r\\n...\\r\\n..\\r\\n.\\r\\n             | DATA;[.a\\r\\n..\\r\\n.\\r\\n]
          dot not first     | DATA\\r\\na.\\r\\n .\\r\\n.\\r\\n                     | DATA;[a.\\r\\n .\\r\\n]
          bare LF dot       | DATA\\r\\nx\\n.\\nmore\\r\\n.\\r\\n                   | DATA;[x\\n.\\nmore\\r\\n]
          bare CR dot       | DATA\\r\\nx\\r.\\rmore\\r\\n.\\r\\n                   | DATA;[x\\r.\\rmore\\r\\n]
          LF dot CRLF       | DATA\\r\\nx\\n.\\r\\nmore\\r\\n.\\r\\n                | DATA;[x\\n.\\r\\nmore\\r\\n]
          dot CR CR LF      | DATA\\r\\n.\\r\\r\\n.\\r\\n                         | DATA;[\\r\\r\\n]
          no final CRLF     | DATA\\r\\nabc\\r\\n.\\r\\n                          | DATA;[abc\\r\\n]
          commands LF only  | NOOP\\nRSET\\r\\n                                  | BARE_LF;RSET
          two messages      | DATA\\r\\na\\r\\n.\\r\\nDATA\\r\\n.b\\r\\n.\\r\\n       | DATA;[a\\r\\n];DATA;[b\\r\\n]
          """)
  void framesAlikeWhereverTheInputIsCut(String name, String input, String expected) {
    byte[] bytes = unescape(input).getBytes(StandardCharsets.ISO_8859_1);
    String want = unescape(expected);
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals(want, run(bytes, cut), name + " cut at " + cut);
    }
    assertEquals(want, runBytewise(bytes), name + " byte by byte");
  }

  @ParameterizedTest(name = "{0} octets")
  @CsvSource({"510, NOOP", "2046, NOOP", "2047, TOO_LONG", "2048, TOO_LONG", "12286, TOO_LONG"})
  void commandLinesAreLimitedTo2048OctetsWithTheirCrlf(int length, String expected) {
    String line = "NOOP " + "x".repeat(length - 5);
    byte[] bytes = (line + "\r\nRSET\r\n").getBytes(StandardCharsets.US_ASCII);
    String want = (expected.equals("NOOP") ? line : "TOO_LONG") + ";RSET";
    for (int cut = 0; cut <= bytes.length; cut += 37) {
      assertEquals(want, run(bytes, cut), "cut at " + cut);
    }
    assertEquals(want, runBytewise(bytes));
  }

  /** Lines without a leading period go up the pipeline in bulk; a dot line starts a piece of its own. */
  @Test
  void completeLinesPassInBulkAndADotLineStartsAPiece() {
    String body = "line of text\r\n".repeat(100) + "..stuffed\r\n" + "more text\r\n".repeat(50);
    List<Integer> pieces = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(new LineFramer(), new DataDecoder(), new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Inbound.Line line && line.text().equals("DATA")) {
          ctx.pipeline().get(LineFramer.class).dataMode();
        } else if (msg instanceof ByteBuf b) {
          pieces.add(b.readableBytes());
          b.release();
        }
      }
    });
    ch.writeInbound(Unpooled.wrappedBuffer(("DATA\r\n" + body + ".\r\n").getBytes(StandardCharsets.US_ASCII)));
    ch.finishAndReleaseAll();

    assertEquals(List.of(1400, 10, 11 * 50), pieces, "the 100 lines, the unstuffed dot line, the 50 after it");
  }

  private static String run(byte[] bytes, int cut) {
    Collector c = new Collector();
    EmbeddedChannel ch = new EmbeddedChannel(new LineFramer(), new DataDecoder(), c);
    ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, cut)));
    ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, cut, bytes.length)));
    ch.finishAndReleaseAll();
    return c.result();
  }

  private static String runBytewise(byte[] bytes) {
    Collector c = new Collector();
    EmbeddedChannel ch = new EmbeddedChannel(new LineFramer(), new DataDecoder(), c);
    for (byte b : bytes) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    ch.finishAndReleaseAll();
    return c.result();
  }

  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n");
  }

  /** Plays the session's part: DATA switches to data mode, the end switches back. */
  private static final class Collector extends ChannelInboundHandlerAdapter {
    private final List<String> seen = new ArrayList<>();
    private ByteArrayOutputStream body;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Inbound.Line line) {
        seen.add(line.text());
        if (line.text().equals("DATA")) {
          ctx.pipeline().get(LineFramer.class).dataMode();
          body = new ByteArrayOutputStream();
        }
      } else if (msg == Inbound.LINE_TOO_LONG) {
        seen.add("TOO_LONG");
      } else if (msg == Inbound.BARE_LF) {
        seen.add("BARE_LF");
      } else if (msg == Inbound.END_OF_DATA) {
        ctx.pipeline().get(LineFramer.class).commandMode();
        seen.add("[" + body.toString(StandardCharsets.ISO_8859_1) + "]");
        body = null;
      } else if (msg instanceof ByteBuf b) {
        byte[] data = new byte[b.readableBytes()];
        b.readBytes(data);
        body.writeBytes(data);
        b.release();
      }
    }

    String result() {
      return String.join(";", seen);
    }
  }
}
