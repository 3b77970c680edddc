package io.mailstream.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageFactoryTest {
  private static final MessageFactory FACTORY =
      new MessageFactory("a@x.test", List.of("r1@y.test", "r2@y.test"), 0, "run1");

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 402, 475, 476, 4096, 10_000, 1_048_576})
  void hasExactSizeAndShortCrlfLines(int size) {
    MessageFactory f = new MessageFactory("a@x.test", List.of("r1@y.test", "r2@y.test"), size, "run1");
    byte[] m = f.message(17);
    assertEquals(size, m.length);
    String text = new String(m, StandardCharsets.US_ASCII);
    assertTrue(text.endsWith("\r\n"), "ends with CRLF");
    assertFalse(text.replace("\r\n", "").contains("\n"), "no bare LF");
    assertFalse(text.replace("\r\n", "").contains("\r"), "no bare CR");
    for (String line : text.split("\r\n", -1)) {
      assertTrue(line.length() <= MessageFactory.MAX_LINE, "line too long: " + line);
      assertFalse(line.startsWith("."), "line would need dot-stuffing: " + line);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Date: ", "From: <a@x.test>", "To: <r1@y.test>,\r\n <r2@y.test>",
      "Subject: Mailstream load test message 17", "Message-ID: <17.run1@", "MIME-Version: 1.0"})
  void carriesRfc5322Headers(String header) {
    String head = new String(FACTORY.message(17), StandardCharsets.US_ASCII);
    assertTrue(head.contains("\r\n" + header) || head.startsWith(header), header);
  }

  @Test
  void smallerThanHeadersGivesHeadersOnly() {
    String m = new String(FACTORY.message(1), StandardCharsets.US_ASCII);
    assertTrue(m.endsWith("\r\n\r\n"), "header block ends with the empty line");
  }
}
