package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
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
          received below a first text line | Hello\\r\\nReceived: a\\r\\n\\r\\n                  | 1 | null
          message id                     | Message-ID: <a@b>\\r\\n\\r\\n                         | 0 | <a@b>
          message id case, comment       | message-id:<a@b> (comment)\\r\\n\\r\\n                | 0 | <a@b>
          message id folded              | Message-ID:\\r\\n\\t<folded@b>\\r\\nSubject: x\\r\\n\\r\\n | 0 | <folded@b>
          message id without brackets    | Message-ID: plain-id\\r\\n\\r\\n                      | 0 | plain-id
          first message id wins          | Message-ID: <1@b>\\r\\nMessage-ID: <2@b>\\r\\n\\r\\n  | 0 | <1@b>
          message id in body ignored     | Subject: x\\r\\n\\r\\nMessage-ID: <a@b>\\r\\n          | 0 | null
          message id at end, no CRLF     | Received: a\\r\\nMessage-ID: <end@b>                  | 1 | <end@b>
          empty body                     | ''                                                     | 0 | null
          """)
  void countsHopsAndFindsTheMessageId(String name, String header, int hops, String messageId) {
    HeaderScanner scanned = scan(header);
    assertEquals(hops, scanned.hops());
    assertEquals(messageId.equals("null") ? null : messageId, scanned.messageId());
  }

  // Found: D (Date), F (From), M (Message-ID), H (no header section), in that order; - for none.
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          all three                         | Date: x\\r\\nFrom: a@b\\r\\nMessage-ID: <1@b>\\r\\n\\r\\nbody\\r\\n | DFM
          none                              | Subject: hi\\r\\nTo: a@b\\r\\n\\r\\nbody\\r\\n                      | -
          names in any case                 | DATE: x\\r\\nfrom: a@b\\r\\nmessage-id: <1@b>\\r\\n\\r\\n           | DFM
          white space before the colon      | From : a@b\\r\\nMessage-ID\\t: <1@b>\\r\\n\\r\\n                     | FM
          an empty Message-ID is one        | Message-ID:\\r\\n\\r\\n                                           | M
          folded value                      | From:\\r\\n\\tAlice <a@b>\\r\\nSubject: x\\r\\n\\r\\n                 | F
          folded line naming a field        | Subject: x\\r\\n From: a@b\\r\\n\\tDate: y\\r\\n\\r\\n                | -
          only in the body                  | Subject: x\\r\\n\\r\\nDate: y\\r\\nFrom: a@b\\r\\nMessage-ID: <1@b>\\r\\n | -
          longer names that start alike     | From-Address: a@b\\r\\nDated: y\\r\\nMessage-IDs: z\\r\\nX-From: a\\r\\n\\r\\n | -
          a long name before ours           | X-A-Very-Long-Field-Name-Indeed: 1\\r\\nFrom: a@b\\r\\n\\r\\n      | F
          value that names another field    | Subject: Date: From: Message-ID:\\r\\n\\r\\n                      | -
          bare LF line ends                 | Date: x\\nfrom: a@b\\n\\nMessage-ID: <1@b>\\n                      | DF
          no empty line, no last line end   | Subject: x\\r\\nFrom: a@b                                        | F
          starts with text                  | Hello there.\\r\\nFrom: a@b\\r\\n\\r\\n                            | H
          starts with a From_ line          | From a@b Sat Dec  5 05:00:00 2026\\r\\nDate: x\\r\\n\\r\\n          | H
          starts with a folded line         | \\tFrom: a@b\\r\\nDate: x\\r\\n\\r\\n                              | H
          starts with the empty line        | \\r\\nDate: x\\r\\n                                              | -
          text after the first field        | Subject: x\\r\\nno colon here\\r\\nDate: y\\r\\n\\r\\n              | D
          empty body                        | ''                                                              | -
          """)
  void findsTheFieldsSendmailAddsInTheHeaderSectionOnly(String name, String body, String expected) {
    assertEquals(expected, found(scan(body).originatorFields()));
  }

  @Test
  void aFirstLineLongerThanAnyFieldLineIsText() {
    // Its colon lies past the octets kept: RFC 5322 2.1.1 lets no field line be that long.
    String name = "X".repeat(HeaderScanner.MAX_KEPT + 10);
    assertEquals("H", found(scan(name + ": 1\\r\\nFrom: a@b\\r\\n\\r\\n").originatorFields()));
    assertEquals("F", found(scan("Subject: x\\r\\n" + name + ": 1\\r\\nFrom: a@b\\r\\n\\r\\n").originatorFields()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          stops at the empty line          | Subject: x\\r\\n\\r\\n | false
          reads on before it               | Subject: x\\r\\n       | true
          reads on past text, for Received | Hello\\r\\n           | true
          """)
  void stopsReadingWhereTheHeaderSectionEnds(String name, String body, boolean reading) {
    HeaderScanner s = new HeaderScanner();
    byte[] bytes = octets(body);
    s.update(bytes, 0, bytes.length);
    assertEquals(reading, s.inHeader());
    assertEquals(reading, s.update((byte) 'x'));
  }

  /**
   * Scans {@code text} (with \r, \n and \t written out) in one go, octet by octet and split in two
   * at every point, as a body comes in reads of any size; all must agree. Returns the first.
   */
  private static HeaderScanner scan(String text) {
    byte[] bytes = octets(text);
    HeaderScanner whole = new HeaderScanner();
    whole.update(bytes, 0, bytes.length);
    whole.finish();
    HeaderScanner single = new HeaderScanner();
    for (byte b : bytes) {
      single.update(b);
    }
    single.finish();
    assertEquals(summary(whole), summary(single), "octet by octet");
    for (int split = 1; split < bytes.length; split++) {
      HeaderScanner two = new HeaderScanner();
      two.update(bytes, 0, split);
      two.update(bytes, split, bytes.length - split);
      two.finish();
      assertEquals(summary(whole), summary(two), "split at " + split);
    }
    return whole;
  }

  private static byte[] octets(String text) {
    return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").getBytes(StandardCharsets.UTF_8);
  }

  private static String summary(HeaderScanner s) {
    return s.hops() + " " + s.messageId() + " " + found(s.originatorFields());
  }

  private static String found(OriginatorFields f) {
    String s = (f.hasDate() ? "D" : "") + (f.hasFrom() ? "F" : "") + (f.hasMessageId() ? "M" : "")
        + (f.headerless() ? "H" : "");
    return s.isEmpty() ? "-" : s;
  }
}
