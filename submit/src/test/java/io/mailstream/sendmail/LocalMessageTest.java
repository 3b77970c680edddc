package io.mailstream.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalMessageTest {
  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 5, 2, 20, 7, 0, ZoneOffset.ofHours(-5));

  private static LocalMessage message(String text) {
    return LocalMessage.of(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String text(LocalMessage m) {
    return new String(m.bytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void missingDateFromAndMessageIdAreAddedBeforeTheOthers() {
    LocalMessage m = message("Subject: hi\r\n\r\nbody\r\n");
    m.complete("root@relay.test", "Charlie Root", "relay.test", NOW);
    String t = text(m);
    assertTrue(t.startsWith("Date: Sat, 5 Dec 2026 02:20:07 -0500\r\nFrom: Charlie Root <root@relay.test>\r\n"
        + "Message-ID: <20261205022007."), t);
    assertTrue(t.endsWith("@relay.test>\r\nSubject: hi\r\n\r\nbody\r\n"), t);
  }

  @Test
  void fieldsThatArePresentStayAsTheyAre() {
    String given = "from: Me <me@x.test>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-Id: <1@x.test>\r\n\r\nb\r\n";
    LocalMessage m = message(given);
    m.complete("root@relay.test", null, "relay.test", NOW);
    assertEquals(given, text(m));
  }

  @Test
  void aMessageWithoutHeaderGetsOneAndKeepsItsText() {
    LocalMessage m = message("just text: not a field\r\nmore\r\n");
    m.complete("root@relay.test", null, "relay.test", NOW);
    String t = text(m);
    assertTrue(t.contains("\r\nFrom: root@relay.test\r\n"), t);
    assertTrue(t.endsWith(">\r\n\r\njust text: not a field\r\nmore\r\n"), t);
  }

  @Test
  void dashTReadsToCcAndBccThenBccIsRemovedWithItsFoldedLines() {
    LocalMessage m = message("To: a, b@x.test\r\nCc: C <c@x.test>\r\nBcc: d@x.test,\r\n e@x.test\r\nSubject: s\r\n\r\nb\r\n");
    assertEquals(List.of("a@relay.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test"), m.headerRecipients("relay.test"));
    m.removeBcc();
    assertEquals("To: a, b@x.test\r\nCc: C <c@x.test>\r\nSubject: s\r\n\r\nb\r\n", text(m));
  }

  @Test
  void aResentMessageGoesToTheResentRecipients() {
    LocalMessage m = message("To: old@x.test\r\nResent-To: new@x.test\r\nResent-Bcc: hid@x.test\r\n\r\nb\r\n");
    assertEquals(List.of("new@x.test", "hid@x.test"), m.headerRecipients("relay.test"));
    m.removeBcc();
    assertEquals("To: old@x.test\r\nResent-To: new@x.test\r\n\r\nb\r\n", text(m));
  }

  @Test
  void aFullNameWithSpecialsIsQuoted() {
    LocalMessage m = message("\r\nb\r\n");
    m.complete("r@relay.test", "Root, Charlie (admin)", "relay.test", NOW);
    assertTrue(text(m).contains("From: \"Root, Charlie (admin)\" <r@relay.test>\r\n"), text(m));
  }
}
