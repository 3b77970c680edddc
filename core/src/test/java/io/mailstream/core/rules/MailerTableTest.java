package io.mailstream.core.rules;

import static io.mailstream.core.rules.TestTables.address;
import static io.mailstream.core.rules.TestTables.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FEATURE(mailertable), one case per sentence of cf/README and the seeds, plus edge cases. Every
 * expected route is what sendmail 8.17.1 chose for the same entry ({@code sendmail -bt},
 * {@code /parse}).
 */
class MailerTableTest {

  // cf/README "USING MAILERTABLES" (its xnet and uucp-new mailers replaced by esmtp and smtp), the
  // seed 001 example, and one entry per value form.
  private static final String MAIN =
      """
      .my.domain\tesmtp:%1.my.domain
      uuhost1.my.domain\tsmtp:uuhost1
      .bitnet\tsmtp:relay.bit.net
      .darknet.lan\tesmtp:[mailhost.private.lan]
      .lan\tesmtp:[%1.lan]
      exact.example\tesmtp:[gw.exact.example]
      a.dot.example\trelay:a-exact
      .dot.example\tsmtp:%1.gw.example
      list.example\tesmtp:[a.example]:[b.example]:c.example
      v6.example\tesmtp:[IPv6:2001:db8::1]
      user.example\tesmtp:postmaster@mailhub.example
      loc.example\tlocal:bob
      locall.example\tlocal:
      locat.example\tlocal:carl@elsewhere.example
      e1.example\terror:5.7.1:550 go away
      e2.example\terror:nouser No such user
      e3.example\terror:550 plain
      e4.example\terror:451 4.4.1 try later
      pct.example\trelay:p0-%0.p1-%1.p2-%2
      .pct.example\trelay:p0-%0.p1-%1.p2-%2
      """;

  // Seed 001 again, with its "." entry; and a catch-all that uses %1.
  private static final String SEED =
      """
      .darknet.lan             esmtp:[mailhost.private.lan]
      .lan                     esmtp:[%1.lan]
      .                        relay:[relayhost.somedom.com]
      """;
  private static final String CATCH_ALL = ".\tesmtp:%1.via.example\n";
  // cf/README: "on relay.machine use the mailertable: .domain smtp:[gateway.domain]"
  private static final String MX = ".domain\tsmtp:[gateway.domain]\n";

  private static final Map<String, String> TABLES =
      Map.of("main", MAIN, "seed", SEED, "catch-all", CATCH_ALL, "mx", MX);

  static Stream<Arguments> routes() {
    return Stream.of(
        // "Any LHS entry that does not begin with a dot matches the full host name indicated."
        Arguments.of("main", "u@uuhost1.my.domain", "smtp:uuhost1"),
        Arguments.of("main", "u@exact.example", "esmtp:[gw.exact.example]"),
        // "LHS entries beginning with a dot match anything ending with that domain name"
        Arguments.of("main", "u@foo.bitnet", "smtp:relay.bit.net"),
        Arguments.of("main", "u@a.b.c.bitnet", "smtp:relay.bit.net"),
        // "Matching is done in order of most-to-least qualified -- for example, even though
        // ".my.domain" is listed first in the above example, an entry of "uuhost1.my.domain" will
        // match the second entry since it is more explicit."
        Arguments.of("main", "u@a.dot.example", "relay:a-exact"),
        Arguments.of("main", "u@b.a.dot.example", "smtp:b.a.gw.example"),
        // "Note: e-mail to "user@my.domain" does not match any entry in the above table."
        Arguments.of("main", "u@my.domain", "-"),
        Arguments.of("main", "u@dot.example", "-"),
        // "the "%1" may be used to interpolate the wildcarded part of the host name"
        Arguments.of("main", "u@anything.my.domain", "esmtp:anything.my.domain"),
        Arguments.of("main", "u@y.x.dot.example", "smtp:y.x.gw.example"),
        // "The [square brackets] turn off MX records for this host only."
        Arguments.of("mx", "u@host.domain", "smtp:[gateway.domain]"),
        // Seed 001: "host/domain "darknet.lan" does not match entry ".darknet.lan"!"
        Arguments.of("seed", "u@darknet.lan", "esmtp:[darknet.lan]"),
        // "So "foo.darknet.lan" matches entry ".darknet.lan" not ".lan"."
        Arguments.of("seed", "u@foo.darknet.lan", "esmtp:[mailhost.private.lan]"),
        // "E.g. hosta.private.lan -> esmtp:hosta.private.lan"
        Arguments.of("seed", "u@hosta.private.lan", "esmtp:[hosta.private.lan]"),
        // FEATURE(mailertable): "As a special case of the latter, "." matches any domain not
        // covered by other keys."; seed 001: "LHS entry "." matches any host/domain destination."
        Arguments.of("seed", "u@other.example", "relay:[relayhost.somedom.com]"),
        Arguments.of("seed", "u@localhost", "relay:[relayhost.somedom.com]"),
        // With "." the wildcarded part is the whole host (proto.m4: $@ $1$2).
        Arguments.of("catch-all", "u@a.b.example", "esmtp:a.b.example.via.example"),
        Arguments.of("catch-all", "u@single", "esmtp:single.via.example"),
        // "local:user will forward to the indicated user using the local mailer"
        Arguments.of("main", "u@loc.example", "local:bob"),
        Arguments.of("main", "u+d@loc.example", "local:bob"),
        // "local: will forward to the original user in the e-mail address using the local mailer"
        Arguments.of("main", "u@locall.example", "local:u"),
        Arguments.of("main", "u+d@locall.example", "local:u+d"),
        Arguments.of("main", "\"a b\"@locall.example", "local:\"a b\""),
        // CanonLocal: local:user@host ignores the host.
        Arguments.of("main", "u@locat.example", "local:carl"),
        // "error:code message" and "error:D.S.N:code message will give an error message with the
        // indicated SMTP reply code and message"
        Arguments.of("main", "u@e1.example", "error:550 5.7.1 go away"),
        Arguments.of("main", "u@e2.example", "error:553 5.3.0 nouser No such user"),
        Arguments.of("main", "u@e3.example", "error:550 5.0.0 plain"),
        Arguments.of("main", "u@e4.example", "error:451 4.4.1 try later"),
        // op.me 5.1.5: "a colon-separated list of hosts", tried in order.
        Arguments.of("main", "u@list.example", "esmtp:[a.example]:[b.example]:c.example"),
        Arguments.of("main", "u@v6.example", "esmtp:[IPv6:2001:db8::1]"),
        // mailer:user@host sends to host with the recipient replaced (V8.8 and later).
        Arguments.of("main", "u@user.example", "esmtp:postmaster@mailhub.example"),
        // %0 is the key, %2 the first label of the wildcarded part; an exact match has no %1.
        Arguments.of("main", "u@y.x.pct.example", "relay:p0-.pct.example.p1-y.x.p2-x"),
        Arguments.of("main", "u@pct.example", "relay:p0-pct.example.p1-.p2-"),
        // Keys compare without case; a trailing dot on the host is ignored.
        Arguments.of("main", "u@EXACT.Example", "esmtp:[gw.exact.example]"),
        Arguments.of("main", "u@exact.example.", "esmtp:[gw.exact.example]"),
        Arguments.of("main", "U@Y.X.PCT.EXAMPLE", "relay:p0-.pct.example.p1-y.x.p2-x"),
        // Address literals never reach the mailertable, not even with a "." entry.
        Arguments.of("seed", "u@[192.0.2.1]", "-"),
        Arguments.of("seed", "u@[IPv6:2001:db8::1]", "-"));
  }

  @ParameterizedTest(name = "[{0}] {1} -> {2}")
  @MethodSource("routes")
  void routes(String table, String recipient, String expected) throws Exception {
    MailerTable t = MailerTable.of(entries("mailertable", TABLES.get(table)));
    String actual = t.route(address(recipient), new Trace()).map(Object::toString).orElse("-");
    assertEquals(expected, actual);
  }

  @Test
  void bracketsTurnOffMxForThatHostOnly() throws Exception {
    MailerTable t = MailerTable.of(entries("mailertable", MAIN));
    MailerRoute.Relay r = (MailerRoute.Relay) t.route(address("u@list.example"), new Trace()).orElseThrow();
    assertEquals(
        List.of(new MailerRoute.Host("a.example", false), new MailerRoute.Host("b.example", false),
            new MailerRoute.Host("c.example", true)),
        r.hosts());
    assertEquals("esmtp", r.mailer());
  }

  @Test
  void aKeyEndingInADotLoadsButNeverMatches() throws Exception {
    // sendmail 8.17 -bt: sendmail-bt/03-mailertable-key-with-dot
    MailerTable t = MailerTable.of(entries("mailertable", "other.example.\tesmtp:[10.0.0.1]\n.dotted.example.\tesmtp:[10.0.0.2]\n"));
    assertTrue(t.route(address("u@other.example"), new Trace()).isEmpty());
    assertTrue(t.route(address("u@other.example."), new Trace()).isEmpty());
    assertTrue(t.route(address("u@a.dotted.example"), new Trace()).isEmpty());
    assertEquals(List.of(1, 2), t.ignored().stream().map(MapEntry::line).toList());
  }

  @Test
  void traceNamesTheLineThatMatched() throws Exception {
    MailerTable t = MailerTable.of(entries("/etc/mail/mailertable", MAIN));
    Trace trace = new Trace();
    t.route(address("u@foo.bitnet"), trace);
    assertEquals(List.of("mailertable:3 .bitnet -> smtp:relay.bit.net"), trace.steps());
  }

  @Test
  void traceListsTheKeysTriedWhenNothingMatches() throws Exception {
    MailerTable t = MailerTable.of(entries("mailertable", MAIN));
    Trace trace = new Trace();
    assertTrue(t.route(address("u@a.b.example"), trace).isEmpty());
    assertEquals(List.of("mailertable: no entry for a.b.example, .b.example, .example, ."), trace.steps());
  }

  @Test
  void traceSaysWhyAnAddressLiteralIsNotLookedUp() throws Exception {
    MailerTable t = MailerTable.of(entries("mailertable", SEED));
    Trace trace = new Trace();
    assertTrue(t.route(address("u@[192.0.2.1]"), trace).isEmpty());
    assertTrue(trace.steps().get(0).contains("not consulted for the address literal [192.0.2.1]"), trace.toString());
  }

  static Stream<Arguments> badEntries() {
    return Stream.of(
        Arguments.of("a.example\tbogus:gw.example",
            "unknown mailer 'bogus' (use smtp, esmtp, smtp8, relay, dsmtp, local or error)"),
        Arguments.of("a.example\tprocmail:/etc/procmailrcs/a",
            "unknown mailer 'procmail' (use smtp, esmtp, smtp8, relay, dsmtp, local or error)"),
        Arguments.of("a.example\tgw.example", "expected mailer:host, got 'gw.example'"),
        Arguments.of("a.example\tesmtp:", "missing host after 'esmtp:'"),
        Arguments.of("a.example\tesmtp:[gw.example]:2525",
            "':2525' is not a port in sendmail's syntax but a second host; set the port per mailer (mailers.esmtp)"),
        Arguments.of("a.example\tesmtp:[gw.example", "bad host '[gw.example' after 'esmtp:'"),
        Arguments.of("a.example\terror:250 ok", "reply code must be 4xx or 5xx, got 250"),
        Arguments.of("a.example\terror:5.7.1:450 x", "enhanced status 5.7.1 disagrees with reply code 450"),
        Arguments.of("[192.0.2.1]\tesmtp:gw.example",
            "'[192.0.2.1]': address literals never reach the mailertable (ruleset 0 sends them to the SMART_HOST or to the address itself)"),
        Arguments.of("user@a.example\tesmtp:gw.example", "'user@a.example' is neither a host name, a .domain nor '.'"),
        Arguments.of("a.example\tesmtp:gw.example\nA.Example\tsmtp:other.example",
            "duplicate key 'A.Example' (first at line 1)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badEntries")
  void refusesBadEntriesWithFileAndLine(String text, String reason) {
    MapFileException e =
        assertThrows(MapFileException.class, () -> MailerTable.of(entries("/etc/mail/mailertable", text)));
    int line = (int) text.lines().count();
    assertEquals("/etc/mail/mailertable:" + line + ": " + reason, e.getMessage());
  }

  @Test
  void loadsFromAFileKeepingLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mailertable");
    Files.writeString(file, "# routing\n\n.example\tesmtp:[gw.example]\n");
    MailerTable t = MailerTable.load(file);
    assertEquals(1, t.size());
    Trace trace = new Trace();
    t.route(address("u@a.example"), trace);
    assertEquals(List.of("mailertable:3 .example -> esmtp:[gw.example]"), trace.steps());
  }

  @Test
  void anEmptyFileRoutesNothing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mailertable");
    Files.writeString(file, "");
    MailerTable t = MailerTable.load(file);
    assertEquals(0, t.size());
    assertFalse(t.route(address("u@a.example"), new Trace()).isPresent());
  }

  @Test
  void aBadEntryInAFileNamesThePath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mailertable");
    Files.writeString(file, "# comment\nok.example\tesmtp:gw\nbad.example\tlmtp:gw\n");
    MapFileException e = assertThrows(MapFileException.class, () -> MailerTable.load(file));
    assertEquals(file + ":3: unknown mailer 'lmtp' (use smtp, esmtp, smtp8, relay, dsmtp, local or error)",
        e.getMessage());
  }
}
