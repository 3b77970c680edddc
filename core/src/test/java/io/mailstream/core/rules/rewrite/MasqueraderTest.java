package io.mailstream.core.rules.rewrite;

import static io.mailstream.core.rules.rewrite.MasqueraderCasesTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.rules.MapEntry;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.Trace;
import io.mailstream.core.rules.rewrite.MasqueradeSettings.Feature;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What masquerade.cases cannot show: traces, the null sender, and where Mailstream knowingly
 * differs from sendmail's output.
 */
class MasqueraderTest {
  private static final MasqueradeSettings SETTINGS = MasqueradeSettings.builder("mail.corp.example")
      .localHostNames(List.of("other.example"))
      .masqueradeAs("corp.example")
      .masqueradeDomain("dept.example")
      .masqueradeException("keep.dept.example")
      .exposedUser("root")
      .feature(Feature.MASQUERADE_ENTIRE_DOMAIN)
      .build();
  private static final Masquerader MASQ = new Masquerader(SETTINGS);

  static Stream<Arguments> traces() {
    return Stream.of(
        Arguments.of(Position.HEADER_SENDER, "bob@mail.corp.example", "bob@corp.example",
            "rewrite HS <bob@mail.corp.example>: class {w} mail.corp.example (C{w}): masqueraded as corp.example"),
        Arguments.of(Position.HEADER_SENDER, "bob@a.dept.example", "bob@corp.example",
            "rewrite HS <bob@a.dept.example>: class {M} dept.example (C{M}): masqueraded as corp.example"),
        Arguments.of(Position.HEADER_SENDER, "bob@x.keep.dept.example", "bob@x.keep.dept.example",
            "rewrite HS <bob@x.keep.dept.example>: MASQUERADE_EXCEPTION class {N} keep.dept.example (C{N}): not masqueraded"),
        Arguments.of(Position.HEADER_SENDER, "root@other.example", "root@other.example",
            "rewrite HS <root@other.example>: EXPOSED_USER root: keeps other.example"),
        Arguments.of(Position.HEADER_SENDER, "root", "root@mail.corp.example",
            "rewrite HS <root>: EXPOSED_USER root: qualified with mail.corp.example ($j)"),
        Arguments.of(Position.HEADER_SENDER, "bob@outside.example", "bob@outside.example",
            "rewrite HS <bob@outside.example>: outside.example is in neither class {M} nor class {w}; not masqueraded"),
        Arguments.of(Position.ENVELOPE_SENDER, "bob", "bob@mail.corp.example",
            "rewrite ES <bob>: unqualified: qualified with mail.corp.example ($j)"),
        Arguments.of(Position.HEADER_RECIPIENT, "bob@mail.corp.example", "bob@mail.corp.example",
            "rewrite HR <bob@mail.corp.example>: header recipient not masqueraded (no allmasquerade)"),
        Arguments.of(Position.ENVELOPE_RECIPIENT, "bob@localhost", "bob@mail.corp.example",
            "rewrite ER <bob@localhost>: localhost is mail.corp.example ($j)"));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("traces")
  void saysWhy(Position position, String input, String expected, String step) {
    Trace trace = new Trace();
    assertEquals(expected, MASQ.rewrite(address(input), position, trace).toString());
    assertTrue(trace.steps().contains(step), () -> "trace:\n" + trace);
  }

  @Test
  void nullSenderIsNeverRewritten() {
    Trace trace = new Trace();
    assertSame(MailAddress.NULL_SENDER, MASQ.rewrite(MailAddress.NULL_SENDER, Position.ENVELOPE_SENDER, trace));
    assertEquals(List.of("rewrite ES <>: the null sender is never rewritten"), trace.steps());
  }

  @Test
  void trailingDotIsDroppedInEveryPosition() {
    // Ruleset 3 strips it (sendmail -bt: sendmail-bt/02-trailing-dot).
    for (Position p : Position.values()) {
      assertEquals("bob@outside.example", MASQ.rewrite(address("bob@outside.example."), p, new Trace()).toString());
    }
  }

  @Test
  void localMailerGivesTheBareUserAsEnvelopeRecipient() {
    // mailer/local.m4's EnvToL strips the host (sendmail-bt/06-local-mailer-recipient).
    assertEquals("bob", MASQ.rewrite(address("bob@mail.corp.example"), Position.ENVELOPE_RECIPIENT, Mailer.LOCAL,
        new Trace()).toString());
  }

  @Test
  void masqueradeAsEmptyMeansOff() {
    MasqueradeSettings s = MasqueradeSettings.builder("mail.corp.example.").masqueradeAs(" ").build();
    assertFalse(s.masquerading());
    assertEquals("mail.corp.example", s.hostName());
    assertTrue(s.localHostNames().match("MAIL.corp.example.", false).isPresent(), "$j is in class w");
    assertEquals("bob@mail.corp.example", new Masquerader(s).rewrite(address("bob"), Position.HEADER_SENDER, new Trace()).toString());
  }

  @Test
  void settingsAreImmutableAndReadable() {
    MasqueradeSettings s = MasqueradeSettings.builder("h.example").exposedUser("Root daemon").alwaysAddDomain("x.example").build();
    assertEquals(Set.of("root", "daemon"), s.exposedUsers());
    assertTrue(s.alwaysAddDomain());
    assertTrue(s.isExposed("ROOT"));
    assertFalse(s.masqueradeEnvelope() || s.allMasquerade() || s.limitedMasquerade() || s.masqueradeEntireDomain());
  }

  @Test
  void genericsTraceNamesTheEntry() throws MapFileException {
    GenericsTable table = GenericsTable.of(
        List.of(new MapEntry("bob", "robert", "/etc/mail/genericstable", 3)), DomainClass.empty("G"), false);
    Trace trace = new Trace();
    MailAddress out = new Masquerader(SETTINGS, table).rewrite(address("bob"), Position.HEADER_SENDER, trace);
    assertEquals("robert@corp.example", out.toString());
    assertEquals(List.of(
        "genericstable:3 bob -> robert (unqualified)",
        "rewrite HS <bob>: unqualified: masqueraded as corp.example"), trace.steps());
  }
}
