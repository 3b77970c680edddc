package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.smtp.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Echoed client text is cut by octets, so multi-octet characters cannot push a line over its limit. */
class EchoTest {
  static int octets(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void shortTextIsKeptAndLongTextIsCutAtACharacterBoundary() {
    assertEquals("mx.example", Echo.atMost("mx.example", 255));
    String cut = Echo.atMost("é".repeat(300), 255);
    assertTrue(octets(cut) <= 255, cut);
    assertTrue(cut.endsWith("...") && cut.startsWith("éé"), cut);
    String emoji = Echo.atMost("\uD83D\uDCE7".repeat(100), 255); // four octets each
    assertTrue(octets(emoji) <= 255 && emoji.endsWith("..."), emoji);
    assertEquals(0, (emoji.length() - 3) % 2, "no surrogate pair split");
  }

  @Test
  void theEhloGreetingStaysWithinAReplyLine() {
    // Found by the command fuzzer: 255 characters of three octets each made a 790-octet line.
    Reply r = Replies.ehlo("mx.test", "\uFFFD".repeat(600), 1024);
    for (String line : r.lines()) {
      assertTrue(octets("250-" + line + "\r\n") <= 512, line);
    }
  }
}
