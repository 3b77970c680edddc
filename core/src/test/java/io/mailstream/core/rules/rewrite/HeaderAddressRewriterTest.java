package io.mailstream.core.rules.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.rules.Trace;
import io.mailstream.core.rules.rewrite.MasqueradeSettings.Feature;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Header rewriting as byte edits: each case applies the edits to the original octets and compares
 * the whole header section, so any octet changed outside an address fails the test. Lines end in
 * CRLF (the text blocks are converted) unless a case says otherwise.
 */
class HeaderAddressRewriterTest {
  // $j web.dmz.example; class w also dmz.example and [192.0.2.1]; MASQUERADE_AS example.com,
  // allmasquerade so that To and Cc are masqueraded too.
  private static final Masquerader MASQ = new Masquerader(MasqueradeSettings.builder("web.dmz.example")
      .localHostNames(List.of("dmz.example", "[192.0.2.1]"))
      .masqueradeAs("example.com")
      .feature(Feature.ALLMASQUERADE)
      .build());

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("bare addresses in From and To", """
            From: alice@web.dmz.example
            To: bob@dmz.example
            Subject: hi alice@web.dmz.example
            """, """
            From: alice@example.com
            To: bob@example.com
            Subject: hi alice@web.dmz.example
            """),
        Arguments.of("display name and angle brackets", """
            From: "Alice A." <alice@web.dmz.example>
            Reply-To: Alice <alice@dmz.example>
            Sender: <owner@dmz.example>
            """, """
            From: "Alice A." <alice@example.com>
            Reply-To: Alice <alice@example.com>
            Sender: <owner@example.com>
            """),
        Arguments.of("quoted display name containing '<', '>', ',' and '@'", """
            From: "Smith, John <boss@dmz.example>" <john@dmz.example>
            To: "a\\"b, c" <c@dmz.example>, "x@dmz.example" <x@dmz.example>
            """, """
            From: "Smith, John <boss@dmz.example>" <john@example.com>
            To: "a\\"b, c" <c@example.com>, "x@dmz.example" <x@example.com>
            """),
        Arguments.of("comments, nested and holding addresses", """
            From: john@dmz.example (John (the) Smith)
            Cc: (was: old@dmz.example) new@dmz.example, Ann <ann@dmz.example> (ann@dmz.example)
            """, """
            From: john@example.com (John (the) Smith)
            Cc: (was: old@dmz.example) new@example.com, Ann <ann@example.com> (ann@dmz.example)
            """),
        Arguments.of("folded field with several addresses", """
            To: a@dmz.example,
            \tB <b@web.dmz.example>,
             c@outside.example,
              "D" <d@dmz.example>
            Subject: x
            """, """
            To: a@example.com,
            \tB <b@example.com>,
             c@outside.example,
              "D" <d@example.com>
            Subject: x
            """),
        Arguments.of("groups", """
            To: undisclosed-recipients:;
            Cc: team: a@dmz.example, "B" <b@dmz.example>;, c@dmz.example
            Bcc: x@dmz.example
            """, """
            To: undisclosed-recipients:;
            Cc: team: a@example.com, "B" <b@example.com>;, c@example.com
            Bcc: x@example.com
            """),
        Arguments.of("field names in any case, white space before the colon", """
            FROM: a@dmz.example
            reply-TO: b@dmz.example
            SENDER: c@dmz.example
            CC: d@dmz.example
            to : e@dmz.example
            """, """
            FROM: a@example.com
            reply-TO: b@example.com
            SENDER: c@example.com
            CC: d@example.com
            to : e@example.com
            """),
        Arguments.of("unqualified addresses get the masquerade name", """
            From: root
            To: Bob <bob>, carol (Carol)
            """, """
            From: root@example.com
            To: Bob <bob@example.com>, carol@example.com (Carol)
            """),
        Arguments.of("8-bit display names: offsets count octets", """
            From: Jürgen Müller <juergen@dmz.example>
            To: "日本語, テスト" <a@dmz.example>, Zoë <z@dmz.example>
            Cc: =?UTF-8?Q?J=C3=BCrgen?= <j@dmz.example>
            """, """
            From: Jürgen Müller <juergen@example.com>
            To: "日本語, テスト" <a@example.com>, Zoë <z@example.com>
            Cc: =?UTF-8?Q?J=C3=BCrgen?= <j@example.com>
            """),
        Arguments.of("trailing dots (ruleset 3 drops them from every address: sendmail-bt/02-trailing-dot)", """
            From: a@web.dmz.example.
            To: b@outside.example., c@DMZ.Example.
            """, """
            From: a@example.com
            To: b@outside.example, c@example.com
            """),
        Arguments.of("IP literals: only our own is this host", """
            From: a@[192.0.2.1]
            To: b@[192.0.2.9], c@[IPv6:2001:db8::1]
            """, """
            From: a@example.com
            To: b@[192.0.2.9], c@[IPv6:2001:db8::1]
            """),
        Arguments.of("fields that do not parse stay as they are; the others are rewritten", """
            To: John Smith
            From: "unterminated <a@dmz.example>
            Cc: a@dmz.example (open comment
            Reply-To: r@dmz.example
            """, """
            To: John Smith
            From: "unterminated <a@dmz.example>
            Cc: a@dmz.example (open comment
            Reply-To: r@example.com
            """),
        Arguments.of("other fields are never touched", """
            Received: from a.dmz.example by web.dmz.example; Mon, 1 Jan 2024 00:00:00 +0000
            X-From: a@dmz.example
            Return-Receipt-To: a@dmz.example
            Return-Path: <a@dmz.example>
            Full-Name: a@dmz.example
            Message-ID: <1@web.dmz.example>
            From: a@dmz.example
            """, """
            Received: from a.dmz.example by web.dmz.example; Mon, 1 Jan 2024 00:00:00 +0000
            X-From: a@dmz.example
            Return-Receipt-To: a@dmz.example
            Return-Path: <a@dmz.example>
            Full-Name: a@dmz.example
            Message-ID: <1@web.dmz.example>
            From: a@example.com
            """),
        Arguments.of("null path, obsolete route, empty list elements, quoted local part", """
            From: <>
            To: <@relay.example,@r2.example:bob@dmz.example>, , "john smith"@dmz.example,
            """, """
            From: <>
            To: <@relay.example,@r2.example:bob@example.com>, , "john smith"@example.com,
            """),
        Arguments.of("an address with comments inside is left alone", """
            From: john (x) . smith @ dmz.example
            To: a@outside.example
            """, """
            From: john (x) . smith @ dmz.example
            To: a@outside.example
            """),
        Arguments.of("a line that is not a field is skipped", """
            From a@dmz.example Mon Jan  1 00:00:00 2024
            From: a@dmz.example
            """, """
            From a@dmz.example Mon Jan  1 00:00:00 2024
            From: a@example.com
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void editsOnlyTheAddresses(String name, String input, String expected) {
    assertRewrites(crlf(input), crlf(expected));
  }

  @ParameterizedTest(name = "bare LF: {0}")
  @MethodSource("cases")
  void editsOnlyTheAddressesWithBareLf(String name, String input, String expected) {
    assertRewrites(input, expected);
  }

  /**
   * sendmail's HdrInfo (conf.c, 8.12 and later): the H_FROM fields go through the header sender
   * rules, the H_RCPT fields through the header recipient rules; every other field, including
   * Return-Receipt-To (H_RECEIPTTO only), is left alone.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "From, HS", "Sender, HS", "Reply-To, HS", "Errors-To, HS",
    "Resent-From, HS", "Resent-Sender, HS", "Resent-Reply-To, HS",
    "To, HR", "Cc, HR", "Bcc, HR", "Resent-To, HR", "Resent-Cc, HR", "Resent-Bcc, HR", "Apparently-To, HR",
    "Return-Receipt-To, -", "Return-Path, -", "Full-Name, -", "Disposition-Notification-To, -",
    "X-Original-To, -", "Delivered-To, -", "Envelope-To, -", "Mail-Followup-To, -", "In-Reply-To, -",
  })
  void fieldsAreRewrittenInSendmailsPosition(String field, String flags) {
    for (Position only : List.of(Position.HEADER_SENDER, Position.HEADER_RECIPIENT)) {
      byte[] in = crlf(field + ": u@dmz.example\n").getBytes(StandardCharsets.UTF_8);
      List<Position> seen = new ArrayList<>();
      List<HeaderEdit> edits = HeaderAddressRewriter.rewrite(in, in.length, EnumSet.of(only),
          (a, p) -> {
            seen.add(p);
            return new io.mailstream.core.address.MailAddress(a.localPart(), "example.com");
          }, new Trace());
      boolean expected = only.flags().equals(flags);
      assertEquals(expected ? List.of(only) : List.of(), seen, field + " under " + only.flags());
      assertEquals(expected ? 1 : 0, edits.size(), field + " under " + only.flags());
    }
  }

  @Test
  void recipientsOnlyWhenAsked() {
    byte[] in = crlf("""
        From: a@dmz.example
        To: bob
        """).getBytes(StandardCharsets.UTF_8);
    Trace trace = new Trace();
    List<HeaderEdit> edits = HeaderAddressRewriter.rewrite(in, in.length, EnumSet.of(Position.HEADER_SENDER),
        (a, p) -> MASQ.rewrite(a, p, trace), trace);
    assertEquals(crlf("""
        From: a@example.com
        To: bob
        """), apply(in, edits));
  }

  @Test
  void stopsAtTheGivenEnd() {
    byte[] in = crlf("""
        From: a@dmz.example

        From: b@dmz.example
        """).getBytes(StandardCharsets.UTF_8);
    int end = HeaderSection.length(in);
    List<HeaderEdit> edits = HeaderAddressRewriter.rewrite(in, end, MASQ, Mailer.SMTP, new Trace());
    assertEquals(List.of(new HeaderEdit(6, 13, "a@example.com")), edits);
  }

  @Test
  void tracesEditsAndFailures() {
    byte[] in = crlf("""
        From: a@dmz.example
        To: John Smith
        """).getBytes(StandardCharsets.UTF_8);
    Trace trace = new Trace();
    HeaderAddressRewriter.rewrite(in, in.length, MASQ, Mailer.SMTP, trace);
    assertTrue(trace.steps().contains("header From (line 1): <a@dmz.example> -> <a@example.com>"), trace::toString);
    assertTrue(trace.steps().contains("header To (line 2): cannot parse: expected ',', found 'Smith'; left untouched"),
        trace::toString);
  }

  @Test
  void refusesEnvelopePositions() {
    assertThrows(IllegalArgumentException.class, () -> HeaderAddressRewriter.rewrite(new byte[0], 0,
        Set.of(Position.ENVELOPE_SENDER), (a, p) -> a, new Trace()));
  }

  private static void assertRewrites(String input, String expected) {
    byte[] in = input.getBytes(StandardCharsets.UTF_8);
    Trace trace = new Trace();
    List<HeaderEdit> edits = HeaderAddressRewriter.rewrite(in, in.length, MASQ, Mailer.SMTP, trace);
    assertEquals(expected, apply(in, edits), () -> "trace:\n" + trace);
  }

  /** Applies edits as delivery's HeaderSplicer does: sorted, not overlapping, by octet offset. */
  static String apply(byte[] in, List<HeaderEdit> edits) {
    List<HeaderEdit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingLong(HeaderEdit::offset));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    for (HeaderEdit e : sorted) {
      assertTrue(e.offset() >= pos, "overlapping edits");
      out.write(in, pos, (int) e.offset() - pos);
      out.writeBytes(e.replacement().getBytes(StandardCharsets.UTF_8));
      pos = (int) e.offset() + e.length();
    }
    out.write(in, pos, in.length - pos);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String crlf(String lf) {
    return lf.replace("\n", "\r\n");
  }
}
