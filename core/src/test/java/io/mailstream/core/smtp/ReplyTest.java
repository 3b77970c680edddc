package io.mailstream.core.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** SMTP replies on the wire (RFC 5321 4.2, enhanced codes per RFC 2034 3). */
class ReplyTest {

  static Stream<Arguments> wire() {
    return Stream.of(
        Arguments.of(Reply.ok(250, EnhancedStatus.X_2_0_0, "Ok"), "250 2.0.0 Ok\r\n"),
        Arguments.of(Reply.of(220, null, "mx.example.com ESMTP Mailstream"),
            "220 mx.example.com ESMTP Mailstream\r\n"),
        Arguments.of(Reply.of(354, null, "End data with <CR><LF>.<CR><LF>"),
            "354 End data with <CR><LF>.<CR><LF>\r\n"),
        Arguments.of(Reply.temp(451, EnhancedStatus.X_4_3_0, "Try again later"),
            "451 4.3.0 Try again later\r\n"),
        Arguments.of(Reply.perm(550, EnhancedStatus.X_5_1_1, "User unknown"),
            "550 5.1.1 User unknown\r\n"),
        Arguments.of(Reply.ok(250, EnhancedStatus.X_2_0_0, ""), "250 2.0.0 \r\n"),
        // Multi-line: '-' after the code on all lines but the last (RFC 5321 4.2.1) and the
        // enhanced status on every line (RFC 2034 3).
        Arguments.of(
            Reply.multiline(250, EnhancedStatus.X_2_0_0, List.of("first", "second", "third")),
            "250-2.0.0 first\r\n250-2.0.0 second\r\n250 2.0.0 third\r\n"),
        Arguments.of(
            Reply.multiline(250, null, List.of("mx.example.com", "PIPELINING", "SIZE 26214400")),
            "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 26214400\r\n"),
        Arguments.of(Reply.multiline(550, EnhancedStatus.X_5_7_1, List.of("only")),
            "550 5.7.1 only\r\n"),
        Arguments.of(
            Reply.multiline(550, EnhancedStatus.X_5_7_1, List.of("a", "b")).withoutStatus(),
            "550-a\r\n550 b\r\n"),
        // A CR or LF inside a line would end the reply early; they become spaces.
        Arguments.of(Reply.temp(451, EnhancedStatus.X_4_3_0, "disk\r\nfull\nnow\r"),
            "451 4.3.0 disk full now \r\n"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("wire")
  void writesWireFormat(Reply reply, String wire) {
    assertEquals(wire, reply.toWire());
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "250, 5.0.0",
    "250, 4.7.0",
    "221, 5.0.0",
    "451, 2.0.0",
    "451, 5.1.1",
    "421, 5.7.1",
    "550, 4.4.7",
    "550, 2.0.0",
    "354, 2.0.0",
  })
  void rejectsStatusOfAnotherClass(int code, String status) {
    EnhancedStatus s = EnhancedStatus.parse(status);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Reply.of(code, s, "text"));
    assertEquals("enhanced status " + status + " disagrees with " + code, e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Reply.multiline(code, s, List.of("a", "b")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"0", "199", "600", "999", "-250"})
  void rejectsCodeOutOfRange(int code) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Reply.of(code, null, "text"));
    assertEquals("reply code out of range: " + code, e.getMessage());
  }

  @Test
  void rejectsReplyWithoutText() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Reply.multiline(250, EnhancedStatus.X_2_0_0, List.of()));
    assertEquals("a reply needs at least one line of text", e.getMessage());
  }

  @Test
  void thenCloseKeepsEverythingElse() {
    Reply r = Reply.temp(421, EnhancedStatus.X_4_4_2, "timeout");
    Reply closing = r.thenClose();
    assertFalse(r.closesConnection());
    assertTrue(closing.closesConnection());
    assertEquals(r.toWire(), closing.toWire());
    assertEquals(r.code(), closing.code());
    assertEquals(r.status(), closing.status());
    assertEquals(r.lines(), closing.lines());
    assertNotEquals(r, closing);
    assertEquals(closing, closing.thenClose());
  }

  @Test
  void withoutStatusKeepsCodeTextAndClose() {
    Reply r = Reply.ok(221, EnhancedStatus.X_2_0_0, "Bye").thenClose();
    Reply plain = r.withoutStatus();
    assertNull(plain.status());
    assertEquals(221, plain.code());
    assertEquals(List.of("Bye"), plain.lines());
    assertTrue(plain.closesConnection());
    assertEquals("221 Bye\r\n", plain.toWire());
    assertEquals("221 Bye", plain.toString());
    assertEquals(plain, plain.withoutStatus());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "220, true,  false, false",
    "250, true,  false, false",
    "354, true,  false, false",
    "421, false, true,  false",
    "499, false, true,  false",
    "500, false, false, true",
    "554, false, false, true",
  })
  void classifiesByCode(int code, boolean positive, boolean transientFailure, boolean permanent) {
    Reply r = Reply.of(code, null, "x");
    assertEquals(positive, r.isPositive());
    assertEquals(transientFailure, r.isTransient());
    assertEquals(permanent, r.isPermanent());
  }

  @Test
  void textAndToStringJoinLines() {
    Reply r = Reply.multiline(550, EnhancedStatus.X_5_7_1, List.of("Relaying", "denied"));
    assertEquals("Relaying denied", r.text());
    assertEquals("550 5.7.1 Relaying denied", r.toString());
  }

  @Test
  void linesAreCopiedAndImmutable() {
    List<String> lines = new ArrayList<>(List.of("a", "b"));
    Reply r = Reply.multiline(250, null, lines);
    lines.add("c");
    assertEquals(List.of("a", "b"), r.lines());
    assertThrows(UnsupportedOperationException.class, () -> r.lines().add("d"));
  }

  @Test
  void equalsAndHashCodeCoverAllParts() {
    Reply a = Reply.perm(550, EnhancedStatus.X_5_1_1, "User unknown");
    assertEquals(a, Reply.perm(550, EnhancedStatus.X_5_1_1, "User unknown"));
    assertEquals(a.hashCode(), Reply.perm(550, EnhancedStatus.X_5_1_1, "User unknown").hashCode());
    assertNotEquals(a, Reply.perm(553, EnhancedStatus.X_5_1_1, "User unknown"));
    assertNotEquals(a, Reply.perm(550, EnhancedStatus.X_5_1_3, "User unknown"));
    assertNotEquals(a, Reply.perm(550, EnhancedStatus.X_5_1_1, "No such user"));
    assertNotEquals(a, a.withoutStatus());
  }
}
