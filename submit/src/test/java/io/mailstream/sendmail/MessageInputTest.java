package io.mailstream.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageInputTest {
  @ParameterizedTest(name = "[{0}] -i={1}")
  @CsvSource(delimiter = '|', value = {
      // LF and CRLF both become CRLF; a missing last line end is added.
      "a\\nb\\n | false | a\\r\\nb\\r\\n",
      "a\\r\\nb | false | a\\r\\nb\\r\\n",
      // A lone dot ends the message without -i, and is text with it.
      "a\\n.\\nb\\n | false | a\\r\\n",
      "a\\n.\\nb\\n | true | a\\r\\n.\\r\\nb\\r\\n",
      "a\\n.. \\nb | false | a\\r\\n.. \\r\\nb\\r\\n",
      "a\\n. | false | a\\r\\n",
      // An mbox separator on the first line is dropped; elsewhere it is text.
      "From root Sat Dec  5 02:20:00 2026\\nSubject: x\\n\\nFrom here\\n | false | Subject: x\\r\\n\\r\\nFrom here\\r\\n",
  })
  void readsLikeSendmailsCollect(String input, boolean dotIsData, String expected) throws Exception {
    byte[] out = MessageInput.read(new ByteArrayInputStream(unescape(input).getBytes(StandardCharsets.UTF_8)), dotIsData);
    assertEquals(unescape(expected), new String(out, StandardCharsets.UTF_8));
  }

  private static String unescape(String s) {
    return s.strip().replace("\\r", "\r").replace("\\n", "\n");
  }
}
