package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderScannerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          two received, body one ignored | Received: a\\r\\nreceived: b\\r\\n\\r\\nReceived: c\\r\\n | 2 | null
          bare LF line ends              | Received: a\\nRECEIVED: b\\n\\nReceived: c\\n            | 2 | null
          not at line start              | X-Received: a\\r\\n Received: folded\\r\\nSubject: Received: x\\r\\n\\r\\n | 0 | null
          no empty line                  | Received: a\\r\\nReceived: b                          | 2 | null
          message id                     | Message-ID: <a@b>\\r\\n\\r\\n                         | 0 | <a@b>
          message id case, comment       | message-id:<a@b> (comment)\\r\\n\\r\\n                | 0 | <a@b>
          message id folded              | Message-ID:\\r\\n\\t<folded@b>\\r\\nSubject: x\\r\\n\\r\\n | 0 | <folded@b>
          message id without brackets    | Message-ID: plain-id\\r\\n\\r\\n                      | 0 | plain-id
          first message id wins          | Message-ID: <1@b>\\r\\nMessage-ID: <2@b>\\r\\n\\r\\n  | 0 | <1@b>
          message id in body ignored     | Subject: x\\r\\n\\r\\nMessage-ID: <a@b>\\r\\n          | 0 | null
          message id at end, no CRLF     | Received: a\\r\\nMessage-ID: <end@b>                  | 1 | <end@b>
          empty body                     | ''                                                     | 0 | null
          """)
  void scans(String name, String header, int hops, String messageId) {
    byte[] bytes = header.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
        .getBytes(StandardCharsets.UTF_8);
    // Byte by byte and in one go must agree.
    HeaderScanner whole = new HeaderScanner();
    whole.update(bytes, 0, bytes.length);
    whole.finish();
    HeaderScanner single = new HeaderScanner();
    for (byte b : bytes) {
      single.update(b);
    }
    single.finish();
    String expectedId = messageId.equals("null") ? null : messageId;
    assertEquals(hops, whole.hops());
    assertEquals(expectedId, whole.messageId());
    assertEquals(hops, single.hops());
    assertEquals(expectedId, single.messageId());
  }
}
