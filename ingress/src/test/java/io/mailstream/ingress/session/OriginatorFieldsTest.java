package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginatorFieldsTest {

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
          starts with the empty line        | \\r\\nDate: x\\r\\n                                              | -
          text after the first field        | Subject: x\\r\\nno colon here\\r\\nDate: y\\r\\n\\r\\n              | D
          empty body                        | ''                                                              | -
          """)
  void findsTheFieldsSendmailAddsInTheHeaderSectionOnly(String name, String body, String expected) {
    byte[] bytes = body.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
        .getBytes(StandardCharsets.ISO_8859_1);
    // In one go, octet by octet, and split at every point: a body comes in reads of any size.
    OriginatorFields whole = new OriginatorFields();
    whole.update(bytes, 0, bytes.length);
    assertEquals(expected, found(whole.finish()), "in one go");
    OriginatorFields single = new OriginatorFields();
    for (byte b : bytes) {
      single.update(b);
    }
    assertEquals(expected, found(single.finish()), "octet by octet");
    for (int split = 1; split < bytes.length; split++) {
      OriginatorFields two = new OriginatorFields();
      two.update(bytes, 0, split);
      two.update(bytes, split, bytes.length - split);
      assertEquals(expected, found(two.finish()), "split at " + split);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          stops at the empty line  | Subject: x\\r\\n\\r\\n | false
          reads on before it       | Subject: x\\r\\n       | true
          stops at text            | Hello\\r\\n           | false
          """)
  void stopsReadingWhereTheHeaderSectionEnds(String name, String body, boolean reading) {
    OriginatorFields f = new OriginatorFields();
    byte[] bytes = body.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
    f.update(bytes, 0, bytes.length);
    assertEquals(reading, f.inHeader());
    assertEquals(reading, f.update((byte) 'x'));
  }

  private static String found(OriginatorFields f) {
    String s = (f.hasDate() ? "D" : "") + (f.hasFrom() ? "F" : "") + (f.hasMessageId() ? "M" : "")
        + (f.headerless() ? "H" : "");
    return s.isEmpty() ? "-" : s;
  }
}
