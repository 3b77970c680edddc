package io.mailstream.delivery.client;

import static io.mailstream.delivery.testkit.TestMessages.bytes;
import static io.mailstream.delivery.testkit.TestMessages.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotStufferTest {

  /** Inputs and outputs with CR and LF written as \r and \n. */
  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                 | ''",
        "'.\\r\\n'          | '..\\r\\n'",
        "'..\\r\\n'         | '...\\r\\n'",
        "'a\\r\\n.b\\r\\n'  | 'a\\r\\n..b\\r\\n'",
        "'a.\\r\\n.\\r\\n'  | 'a.\\r\\n..\\r\\n'",
        "'a\\r\\n\\r\\n.\\r\\n' | 'a\\r\\n\\r\\n..\\r\\n'",
        // A bare LF goes out as CRLF, and the dot after it is a line start.
        "'a\\n.b\\r\\n'     | 'a\\r\\n..b\\r\\n'",
        // A bare CR is no line end: the dot after it stays single.
        "'a\\r.b\\r\\n'     | 'a\\r.b\\r\\n'",
      })
  void stuffsLinesStartingWithADot(String input, String expected) {
    DotStuffer s = new DotStuffer();
    byte[] out = s.stuff(unescape(input), 0, unescape(input).length);
    assertEquals(expected, escape(concat(out, s.finish())));
  }

  @ParameterizedTest(name = "[{index}] {0} ends with {1}")
  @CsvSource(
      delimiter = '|',
      value = {"'abc' | '\\r\\n'", "'abc\\r' | '\\n'", "'abc\\r\\n' | ''", "'' | ''"})
  void finishEndsTheContentWithCrlf(String input, String tail) {
    DotStuffer s = new DotStuffer();
    byte[] in = unescape(input);
    s.stuff(in, 0, in.length);
    assertEquals(tail, escape(s.finish()));
  }

  @Test
  void everySplitPositionGivesTheSameOutput() {
    byte[] body = bytes(".a\r\n.\r\n..b\r\nc.\r\n\r\n.d\r\n\u00e9.\r\n.");
    byte[] whole = stuffInOne(body);
    for (int i = 0; i <= body.length; i++) {
      for (int j = i; j <= body.length; j++) {
        DotStuffer s = new DotStuffer();
        byte[] out =
            concat(
                s.stuff(body, 0, i),
                s.stuff(body, i, j - i),
                s.stuff(body, j, body.length - j),
                s.finish());
        assertArrayEquals(whole, out, "split at " + i + " and " + j);
      }
    }
  }

  @Test
  void unstuffingGivesTheInputBack() {
    byte[] body = bytes(".\r\n..\r\n...x\r\n x\r\n.y.\r\n");
    byte[] stuffed = stuffInOne(body);
    assertArrayEquals(body, unstuff(stuffed));
  }

  /**
   * Random bodies of CR, LF, dots and letters (bare LF and bare CR included), split at random
   * places, against the rule written out octet by octet.
   */
  @Test
  void randomBodiesInRandomPiecesFollowTheRule() {
    Random random = new Random(5321);
    byte[] alphabet = bytes("\r\n.a");
    for (int round = 0; round < 2000; round++) {
      byte[] body = new byte[random.nextInt(40)];
      for (int i = 0; i < body.length; i++) {
        body[i] = alphabet[random.nextInt(alphabet.length)];
      }
      DotStuffer s = new DotStuffer();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int at = 0;
      while (at < body.length) {
        int piece = 1 + random.nextInt(body.length - at);
        out.writeBytes(s.stuff(body, at, piece));
        at += piece;
      }
      out.writeBytes(s.finish());
      assertEquals(escape(byRule(body)), escape(out.toByteArray()), "body " + escape(body));
    }
  }

  /** RFC 5321 4.5.2 and 2.3.8 one octet at a time: a bare LF becomes CRLF, a dot at a line start doubles. */
  private static byte[] byRule(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean lineStart = true;
    boolean afterCr = false;
    for (byte b : body) {
      if (b == '\n') {
        if (!afterCr) {
          out.write('\r');
        }
        out.write('\n');
        lineStart = true;
        afterCr = false;
        continue;
      }
      if (lineStart && b == '.') {
        out.write('.');
      }
      out.write(b);
      afterCr = b == '\r';
      lineStart = false;
    }
    if (!lineStart) {
      out.writeBytes(afterCr ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
    }
    return out.toByteArray();
  }

  private static byte[] stuffInOne(byte[] body) {
    DotStuffer s = new DotStuffer();
    return concat(s.stuff(body, 0, body.length), s.finish());
  }

  /** What a server does (RFC 5321 4.5.2): drops the first dot of every line starting with one. */
  private static byte[] unstuff(byte[] stuffed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean lineStart = true;
    for (int i = 0; i < stuffed.length; i++) {
      if (!(lineStart && stuffed[i] == '.')) {
        out.write(stuffed[i]);
      }
      lineStart = stuffed[i] == '\n' && i > 0 && stuffed[i - 1] == '\r';
    }
    return out.toByteArray();
  }

  private static byte[] unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(byte[] b) {
    return new String(b, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
  }
}
