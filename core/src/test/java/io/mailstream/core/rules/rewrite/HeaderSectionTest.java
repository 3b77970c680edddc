package io.mailstream.core.rules.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where the header section ends (RFC 5322 2.1: at the first empty line). */
class HeaderSectionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "CRLF                   | A: 1\\r\\nB: 2\\r\\n\\r\\nbody                | 12",
      "bare LF                | A: 1\\nB: 2\\n\\nbody                        | 10",
      "folded field           | A: 1\\r\\n 2\\r\\n\\r\\n                     | 10",
      "empty line first       | \\r\\nbody                                   | 0",
      "no empty line yet      | A: 1\\r\\nB: 2                               | -1",
      "CR alone is no line end | A: 1\\r\\r\\nB\\r\\n\\r\\n                  | 10",
      "8-bit text counts octets | S: é\\r\\n\\r\\n                          | 7",
  })
  void findsTheEmptyLine(String name, String message, int expected) {
    byte[] b = message.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, HeaderSection.length(b));
  }

  @ParameterizedTest(name = "only {0} octets available")
  @CsvSource({"3, -1", "7, -1", "8, 6"})
  void looksOnlyAtAvailableOctets(int available, int expected) {
    byte[] b = "A: 1\r\n\r\nbody".getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, HeaderSection.length(b, available));
  }
}
