package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyLinesTest {
  private static final byte[] ALPHABET = {'a', 'b', '\r', '\n', 0, '\t', '.', (byte) 0x80, (byte) 0xFF, 15, 16};

  @Test
  void aCleanBodyHasNoDefectAndItsLongestLineCountsTheCrlf() {
    BodyLines lines = new BodyLines();
    byte[] body = "Subject: x\r\n\r\nhello world\r\nend".getBytes(StandardCharsets.US_ASCII);
    lines.scan(body, 0, body.length);
    assertNull(lines.finish());
    assertEquals(13, lines.longestLine(), "\"hello world\" and its CRLF");
  }

  @Test
  void eachDefectIsNamedAndTheFirstOneWins() {
    assertEquals("bare <LF>", defectOf("a\nb\r\n\0"));
    assertEquals("bare <CR>", defectOf("a\rb\n"));
    assertEquals("NUL", defectOf("a\0\r\nb\n"));
    assertEquals("bare <CR>", defectOf("ends in a CR\r"));
  }

  @Test
  void aCrAtTheEndOfOnePieceAndItsLfAtTheStartOfTheNextAreOneLineEnd() {
    BodyLines lines = new BodyLines();
    byte[] a = "line\r".getBytes(StandardCharsets.US_ASCII);
    byte[] b = "\nnext\r\n".getBytes(StandardCharsets.US_ASCII);
    lines.scan(a, 0, a.length);
    lines.scan(b, 0, b.length);
    assertNull(lines.finish());
    assertEquals(6, lines.longestLine());
  }

  /** Random bodies in random pieces, from arrays, heap and direct buffers, against an octet-by-octet oracle. */
  @Test
  void piecesOfAnyKindAgreeWithTheOracle() {
    Random random = new Random(42);
    for (int round = 0; round < 3000; round++) {
      byte[] body = new byte[random.nextInt(round < 2000 ? 40 : 20_000)];
      for (int i = 0; i < body.length; i++) {
        body[i] = random.nextInt(4) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) ('c' + random.nextInt(20));
      }
      Oracle expected = Oracle.of(body);
      BodyLines lines = new BodyLines();
      int from = 0;
      while (from < body.length) {
        int n = 1 + random.nextInt(Math.min(body.length - from, 9000));
        switch (random.nextInt(3)) {
          case 0 -> lines.scan(body, from, from + n);
          case 1 -> lines.scan(Unpooled.wrappedBuffer(body, from, n));
          default -> {
            ByteBuf direct = Unpooled.directBuffer(n);
            direct.writeBytes(body, from, n);
            lines.scan(direct);
            direct.release();
          }
        }
        from += n;
      }
      assertEquals(expected.longest, lines.longestLine(), "longest line, round " + round);
      assertEquals(expected.defect, lines.finish(), "defect, round " + round);
    }
  }

  private static String defectOf(String body) {
    BodyLines lines = new BodyLines();
    byte[] b = body.getBytes(StandardCharsets.US_ASCII);
    lines.scan(b, 0, b.length);
    return lines.finish();
  }

  /** The rules one octet at a time, as plainly as they can be said. */
  private record Oracle(long longest, String defect) {
    static Oracle of(byte[] body) {
      long longest = 0;
      long line = 0;
      String defect = null;
      for (int i = 0; i < body.length; i++) {
        byte b = body[i];
        boolean afterCr = i > 0 && body[i - 1] == '\r';
        String here = null;
        if (afterCr && b != '\n') {
          here = "bare <CR>";
        } else if (b == '\n' && !afterCr) {
          here = "bare <LF>";
        } else if (b == 0) {
          here = "NUL";
        }
        defect = defect == null ? here : defect;
        line++;
        if (b == '\n') {
          longest = Math.max(longest, line);
          line = 0;
        }
      }
      if (defect == null && body.length > 0 && body[body.length - 1] == '\r') {
        defect = "bare <CR>";
      }
      return new Oracle(Math.max(longest, line), defect);
    }
  }
}
