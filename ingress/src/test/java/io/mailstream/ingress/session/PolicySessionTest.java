package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session with sendmail's tables ({@code src/test/resources/tables/policy}), without sockets:
 * what the transcripts cannot reach (IPv6 clients, clients with a host name, the limit on refused
 * commands) and what the mail log is told.
 */
class PolicySessionTest {
  private static final Path TABLES = Path.of("src/test/resources/tables/policy");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:48:24Z"), ZoneOffset.UTC);
  private static final String EHLO = "EHLO client.test";
  private static final String MAIL = "MAIL FROM:<a@client.test>";
  private static final MailstreamConfig CONFIG =
      TestConfig.with(TestConfig.withTables(TABLES, false, List.of()), 10_000L, null, null, null);
  private static final Policy POLICY = policy();

  static Stream<Arguments> table() {
    return Stream.of(
        // Connect: by IPv6 network, in 16-bit groups (cf/README "Connect:IPv6:2002:c0a8:02c7 RELAY
        // [...] would allow relay for the IPv6 network 2002:c0a8:02c7::/48").
        row("2001:db8:bad::25", List.of(EHLO), MAIL, "550 5.7.1 Access denied"),
        row("2001:db8:bad:0:0:0:0:25", List.of(), "NOOP", "250 Ok"),
        row("2001:db8:cafe::1", List.of(EHLO, MAIL), "RCPT TO:<x@elsewhere.test>", "250 2.1.5 Ok"),
        row("2001:db8:beef::1", List.of(EHLO, MAIL), "RCPT TO:<x@elsewhere.test>", "550 5.7.1 Relaying denied"),
        row("2001:db8:beef::1", List.of(EHLO, MAIL), "RCPT TO:<x@relayed.test>", "250 2.1.5 Ok"),
        // Connect: by host name and its parents, once the client has a name.
        row("192.0.2.9 a.badhost.test", List.of(EHLO), MAIL, "550 5.7.1 Access denied"),
        row("192.0.2.9 mx.friend.test", List.of(EHLO, MAIL), "RCPT TO:<x@elsewhere.test>", "250 2.1.5 Ok"),
        row("192.0.2.9 friend.test.example", List.of(EHLO, MAIL), "RCPT TO:<x@elsewhere.test>", "550 5.7.1 Relaying denied"),
        // A name in class w is a local client (proto.m4 Relay_ok "R<?> $=w $@ RELAY").
        row("192.0.2.9 virtual.test", List.of(EHLO, MAIL), "RCPT TO:<x@elsewhere.test>", "250 2.1.5 Ok"),
        // A client listed by name is still looked up by address when the name says nothing.
        row("127.0.0.3 mx.neutral.test", List.of(EHLO), MAIL, "550 5.7.1 Access denied"),
        // Without EHLO, replies carry no enhanced status (RFC 2034 3).
        row("127.0.0.3", List.of("HELO c.test"), MAIL, "550 Access denied"),
        row("127.0.0.2", List.of("HELO c.test"), "MAIL FROM:<spammer@spam.test>", "550 Access denied"),
        // MAIL's own checks come first: a malformed command is a syntax error, not a refusal.
        row("127.0.0.2", List.of(EHLO), "MAIL FROM:spammer@spam.test",
            "501 5.1.7 Bad sender address syntax: path must be enclosed in angle brackets"),
        // RCPT: relaying first, then the rules (a virtual user that does not exist is refused to
        // a client that may relay, an outside recipient to one that may not).
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<x@blackhole.test>", "550 5.7.1 Relaying denied"),
        row("127.0.0.1", List.of(EHLO, MAIL), "RCPT TO:<x@blackhole.test>", "550 5.1.2 Host unknown"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<joe@virtual.test>", "550 5.0.0 No such user here"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<Postmaster>", "250 2.1.5 Ok"),
        // Refused only when every destination fails, and permanently: a list with one bad member
        // is accepted (the router bounces that member), a temporary failure deferred by the router.
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<half@local.test>", "250 2.1.5 Ok"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<allbad@local.test>", "550 5.1.2 Host unknown"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<busy@virtual.test>", "250 2.1.5 Ok"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<postmaster@virtual.test>", "550 5.1.1 User unknown"));
  }

  private static Arguments row(String client, List<String> given, String command, String expected) {
    return Arguments.of(client, given, command, expected);
  }

  @ParameterizedTest(name = "[{0}] {1} then \"{2}\" -> {3}")
  @MethodSource("table")
  void replies(String client, List<String> given, String command, String expected) throws Exception {
    SmtpSession s = session(client, false);
    for (String g : given) {
      Reply r = s.on(Command.parse(g));
      assertTrue(r.code() < 400, g + " was refused: " + r);
    }
    assertEquals(expected, s.on(Command.parse(command)).toString());
  }

  @Test
  void refusedClientIsCutOffAfterTwentyFiveCommands() throws Exception {
    SmtpSession s = session("127.0.0.3", false);
    assertEquals("220 mx.test ESMTP Mailstream", s.greeting().toString());
    s.on(Command.parse(EHLO));
    for (int i = 0; i < 25; i++) {
      assertEquals("550 5.7.1 Access denied", s.on(Command.parse(MAIL)).toString());
      assertEquals("250 2.0.0 Ok", s.on(Command.parse("NOOP")).toString());
    }
    Reply last = s.on(Command.parse(MAIL));
    assertEquals("421 4.7.0 mx.test Too many bad commands; closing connection", last.toString());
    assertTrue(last.closesConnection());
    assertEquals(SmtpSession.Phase.CLOSED, s.phase());
  }

  @Test
  void a421AtConnectReplacesTheBannerAndCloses() throws Exception {
    SmtpSession s = session("127.0.0.5", false);
    Reply greeting = s.greeting();
    assertEquals("421 Too busy, come back later", greeting.toString());
    assertTrue(greeting.closesConnection());
    assertEquals(SmtpSession.Phase.CLOSED, s.phase());
    assertEquals("access:5 Connect:127.0.0.5 ERROR:4.3.2:\"421 Too busy, come back later\"", s.reason());
  }

  @Test
  void reasonNamesTheEntryOrRule() throws Exception {
    SmtpSession s = session("127.0.0.2", false);
    s.on(Command.parse(EHLO));
    s.on(Command.parse("MAIL FROM:<spammer@spam.test>"));
    assertEquals("access:9 From:spammer@spam.test REJECT", s.reason());
    s.on(Command.parse(MAIL));
    assertNull(s.reason());
    s.on(Command.parse("RCPT TO:<x@elsewhere.test>"));
    assertEquals("recipient goes to elsewhere.test, client may not relay", s.reason());
    s.on(Command.parse("RCPT TO:<user%x@local.test>"));
    assertEquals("recipient goes to x, client may not relay", s.reason());
    s.on(Command.parse("RCPT TO:<nobody@virtual.test>"));
    assertTrue(s.reason().contains("virtusertable:6 @virtual.test -> error:550 5.1.1 User unknown"), s.reason());
  }

  @Test
  void discardedMessageIsAcceptedAndNeverSubmitted() throws Exception {
    SmtpSession s = session("127.0.0.2", false);
    for (String c : List.of(EHLO, "MAIL FROM:<x@sub.drop.test>", "RCPT TO:<u@local.test>", "DATA")) {
      assertTrue(s.on(Command.parse(c)).code() < 400, c);
    }
    assertTrue(s.discarding());
    DataResult r = s.endOfData(new BodySummary(100, 0, null));
    DataResult.Discarded d = assertInstanceOf(DataResult.Discarded.class, r);
    assertEquals("250 2.0.0 QID00001 Message accepted for delivery", d.reply().toString());
    assertEquals(new MailAddress("x", "sub.drop.test"), d.sender());
    assertEquals(1, d.recipients());
    assertEquals("access:12 From:drop.test DISCARD", d.reason());
    assertEquals(SmtpSession.Phase.READY, s.phase());
    assertFalse(s.discarding());
    // The size limit still applies to what would have been discarded anyway.
    SmtpSession big = session("127.0.0.6", false);
    for (String c : List.of(EHLO, MAIL, "RCPT TO:<u@local.test>", "DATA")) {
      big.on(Command.parse(c));
    }
    assertTrue(big.discarding());
    assertInstanceOf(DataResult.Rejected.class, big.endOfData(new BodySummary(Long.MAX_VALUE, 0, null)));
  }

  @Test
  void withoutTablesOnlyRelayFromAndLocalDomainsCount() throws Exception {
    SmtpSession s = session("127.0.0.3", true);
    s.on(Command.parse(EHLO));
    assertEquals("250 2.1.0 Ok", s.on(Command.parse(MAIL)).toString());
    assertEquals("550 5.7.1 Relaying denied", s.on(Command.parse("RCPT TO:<x@relayed.test>")).toString());
    assertEquals("550 5.7.1 Relaying denied", s.on(Command.parse("RCPT TO:<x@virtual.test>")).toString());
    assertEquals("250 2.1.5 Ok", s.on(Command.parse("RCPT TO:<x@local.test>")).toString());
  }

  @Test
  void aLocalUserOfTheSendmailCommandMeetsTheTablesButNeitherAccessNorRelayRules() throws Exception {
    int[] n = {0};
    // Standing in with an address that access refuses (Connect:127.0.0.3) and that may not relay,
    // to show that neither applies to a local user.
    Peer cron = new Peer(InetAddress.getByName("127.0.0.3"), null, "cron");
    SmtpSession s = new SmtpSession(CONFIG, POLICY, cron, () -> String.format("QID%05d", ++n[0]), CLOCK);
    assertEquals("220 mx.test ESMTP Mailstream", s.greeting().toString());
    s.on(Command.parse(EHLO));
    assertEquals("250 2.1.0 Ok", s.on(Command.parse(MAIL)).toString());
    assertEquals("250 2.1.5 Ok", s.on(Command.parse("RCPT TO:<x@elsewhere.test>")).toString());
    assertEquals("550 5.1.1 User unknown", s.on(Command.parse("RCPT TO:<postmaster@virtual.test>")).toString());
    assertEquals("cron@localhost", s.peer().relay());
  }

  static Stream<Arguments> hops() {
    return Stream.of(
        Arguments.of("user", "-"),
        Arguments.of("user%other.test", "user@other.test"),
        Arguments.of("a%b%other.test", "a%b@other.test"),
        Arguments.of("other.test!user", "user@other.test"),
        Arguments.of("a!b!user", "b!user@a"),
        Arguments.of("user@other.test", "user@other.test"),
        Arguments.of("a%b@other.test", "a%b@other.test"),
        Arguments.of("x!a%b", "a%b@x"),
        Arguments.of("user%", "(unroutable)@(unroutable)"),
        Arguments.of("!user", "(unroutable)@(unroutable)"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("hops")
  void nextHopFollowsSendmailsOperators(String local, String expected) {
    MailAddress next = RelayCheck.nextHop(local);
    assertEquals(expected, next == null ? "-" : next.toString());
  }

  private static SmtpSession session(String client, boolean noTables) throws Exception {
    String[] w = client.split(" ");
    Peer peer = new Peer(InetAddress.getByName(w[0]), w.length > 1 ? w[1] : null);
    int[] n = {0};
    return new SmtpSession(
        CONFIG, noTables ? Policy.none(CONFIG) : POLICY, peer, () -> String.format("QID%05d", ++n[0]), CLOCK);
  }

  private static Policy policy() {
    try {
      return Policy.of(CONFIG, RuleSet.load(CONFIG), AccessDb.load(CONFIG.routing().access()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
