package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.Submission;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure session, without sockets: given commands, then one command and its exact reply. */
class SmtpSessionTest {
  private static final MailstreamConfig CONFIG =
      TestConfig.with(TestConfig.standard(), 10_000L, 2, 3, null);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:48:24Z"), ZoneOffset.UTC);
  private static final String EHLO = "EHLO client.test";
  private static final String MAIL = "MAIL FROM:<a@client.test>";
  private static final String RCPT = "RCPT TO:<b@local.test>";

  static Stream<Arguments> table() {
    return Stream.of(
        row("127.0.0.1", List.of(), "NOOP", "250 Ok"),
        row("127.0.0.1", List.of(), "MAIL FROM:<a@client.test>", "503 Error: send HELO/EHLO first"),
        row("127.0.0.1", List.of(), "EHLO", "501 Syntax: EHLO hostname"),
        row("127.0.0.1", List.of(), "ehlo client.test", "250 mx.test Hello client.test PIPELINING SIZE 10000 8BITMIME SMTPUTF8 DSN CHUNKING ENHANCEDSTATUSCODES"),
        row("127.0.0.1", List.of(), "HELO client.test", "250 mx.test"),
        row("127.0.0.1", List.of("HELO c.test"), "RCPT TO:<b@local.test>", "503 Error: need MAIL command"),
        row("127.0.0.1", List.of(EHLO), "RCPT TO:<b@local.test>", "503 5.5.1 Error: need MAIL command"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<>", "250 2.1.0 Ok"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM: <a@client.test>", "250 2.1.0 Ok"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test> SIZE=10000 BODY=7BIT", "250 2.1.0 Ok"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test> SIZE=10001", "552 5.3.4 Message size exceeds fixed maximum message size"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test> SIZE=", "501 5.5.4 Bad parameter syntax: SIZE="),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test> SIZE=1 SIZE=2", "501 5.5.4 Bad parameter syntax: SIZE given twice"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test> SMTPUTF8=1", "501 5.5.4 Bad parameter syntax: SMTPUTF8=1"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test> RET=NONE", "501 5.5.4 Bad parameter syntax: RET=NONE"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test>x", "501 5.1.7 Bad sender address syntax: unexpected text after path"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<a@client.test", "501 5.1.7 Bad sender address syntax: missing '>' at end of path"),
        row("127.0.0.1", List.of(EHLO), "MAIL FROM:<" + "x".repeat(65) + "@client.test>", "501 5.1.7 Bad sender address syntax: local part longer than 64 octets"),
        row("127.0.0.1", List.of(EHLO), "MAIL", "501 5.5.4 Syntax: MAIL FROM:<address>"),
        row("127.0.0.1", List.of(EHLO, MAIL), "MAIL FROM:<a@client.test>", "503 5.5.1 Error: nested MAIL command"),
        row("127.0.0.1", List.of(EHLO, MAIL), "RCPT TO:<far@elsewhere.test>", "250 2.1.5 Ok"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<far@elsewhere.test>", "550 5.7.1 Relaying denied"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<near@local.test>", "250 2.1.5 Ok"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<Postmaster>", "250 2.1.5 Ok"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<postmaster>", "250 2.1.5 Ok"),
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<@relay.test:near@local.test>", "250 2.1.5 Ok"),
        // sendmail takes a bare local user, from any client: it is this host's ($j).
        row("127.0.0.2", List.of(EHLO, MAIL), "RCPT TO:<root>", "250 2.1.5 Ok"),
        row("127.0.0.1", List.of(EHLO, MAIL), "RCPT TO:<b..c>", "501 5.1.3 Bad recipient address syntax: misplaced dot in local part"),
        row("127.0.0.1", List.of(EHLO, MAIL), "RCPT TO:<@relay.test:b>", "501 5.1.3 Bad recipient address syntax: no @domain in address"),
        row("127.0.0.1", List.of(EHLO, MAIL), "RCPT TO:<b@local.test> ORCPT=rfc822", "501 5.5.4 Bad parameter syntax: ORCPT=rfc822"),
        row("127.0.0.1", List.of(EHLO, MAIL, RCPT, RCPT), "RCPT TO:<c@local.test>", "452 4.5.3 Too many recipients"),
        row("127.0.0.1", List.of(EHLO, MAIL), "DATA", "554 5.5.1 Error: no valid recipients"),
        row("127.0.0.1", List.of(EHLO), "DATA", "503 5.5.1 Error: need MAIL command"),
        row("127.0.0.1", List.of(EHLO, MAIL, RCPT), "DATA x", "501 5.5.4 Syntax: DATA"),
        row("127.0.0.1", List.of(EHLO, MAIL, RCPT), "DATA", "354 End data with <CR><LF>.<CR><LF>"),
        row("127.0.0.1", List.of(EHLO, MAIL, RCPT, "RSET"), "DATA", "503 5.5.1 Error: need MAIL command"),
        row("127.0.0.1", List.of(EHLO, MAIL, RCPT, EHLO), "DATA", "503 5.5.1 Error: need MAIL command"),
        row("127.0.0.1", List.of(EHLO, MAIL, RCPT, "HELO c.test"), "DATA", "503 Error: need MAIL command"),
        row("127.0.0.1", List.of(EHLO), "VRFY postmaster", "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery"),
        row("127.0.0.1", List.of(), "VRFY postmaster", "252 Cannot VRFY user, but will accept message and attempt delivery"),
        row("127.0.0.1", List.of(EHLO), "EXPN list", "502 5.7.0 Sorry, we do not allow this operation"),
        row("127.0.0.1", List.of(EHLO), "STARTTLS", "502 5.5.1 Error: command not implemented"),
        row("127.0.0.1", List.of(EHLO), "FOO", "500 5.5.1 Error: command unrecognized"),
        row("127.0.0.1", List.of(EHLO), "", "500 5.5.2 Error: bad syntax"),
        row("127.0.0.1", List.of(EHLO), "NOOP\0", "500 5.5.2 Error: bad syntax"),
        row("127.0.0.1", List.of(EHLO), "HELP", "214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP; see RFC 5321"),
        row("127.0.0.1", List.of(EHLO), "QUIT", "221 2.0.0 Bye"));
  }

  private static Arguments row(String client, List<String> given, String command, String expected) {
    return Arguments.of(client, given, command, expected);
  }

  @ParameterizedTest(name = "[{0}] {1} then \"{2}\" -> {3}")
  @MethodSource("table")
  void replies(String client, List<String> given, String command, String expected) throws Exception {
    SmtpSession s = session(client);
    for (String g : given) {
      Reply r = s.on(Command.parse(g));
      assertTrue(r.code() < 400, g + " was refused: " + r);
    }
    assertEquals(expected, s.on(Command.parse(command)).toString());
  }

  @Test
  void quitAndTimeOutClose() throws Exception {
    SmtpSession s = session("127.0.0.1");
    assertTrue(s.on(Command.parse("QUIT")).closesConnection());
    SmtpSession t = session("127.0.0.1");
    Reply timeout = t.timedOut();
    assertEquals("421 mx.test Error: timeout exceeded", timeout.toString());
    assertTrue(timeout.closesConnection());
  }

  @Test
  void commandsAreRefusedWhileReceivingData() throws Exception {
    SmtpSession s = inData("127.0.0.1");
    assertEquals(SmtpSession.Phase.DATA, s.phase());
    assertEquals("QID00001", s.queueId());
    assertThrows(IllegalStateException.class, () -> s.on(Command.parse("NOOP")));
  }

  @Test
  void endOfDataOverTheSizeLimitIs552AndEndsTheTransaction() throws Exception {
    SmtpSession s = inData("127.0.0.1");
    DataResult r = s.endOfData(new BodySummary(10_001, 0, null));
    assertEquals("552 5.3.4 Message size exceeds fixed maximum message size",
        assertInstanceOf(DataResult.Rejected.class, r).reply().toString());
    assertEquals(SmtpSession.Phase.READY, s.phase());
    assertEquals("503 5.5.1 Error: need MAIL command", s.on(Command.parse("DATA")).toString());
  }

  @Test
  void endOfDataWithTooManyHopsIs554() throws Exception {
    SmtpSession s = inData("127.0.0.1");
    DataResult r = s.endOfData(new BodySummary(100, 4, null));
    assertEquals("554 5.4.6 Too many hops",
        assertInstanceOf(DataResult.Rejected.class, r).reply().toString());
  }

  @Test
  void endOfDataHandsOverTheEnvelopeAndReceivedHeader() throws Exception {
    SmtpSession s = session("127.0.0.2");
    s.on(Command.parse("EHLO client.test"));
    s.on(Command.parse("MAIL FROM:<a@client.test> BODY=8BITMIME"));
    s.on(Command.parse("RCPT TO:<b@local.test>"));
    s.on(Command.parse("DATA"));
    DataResult r = s.endOfData(new BodySummary(10_000, 3, "<id@client.test>"));
    Submission sub = assertInstanceOf(DataResult.Ready.class, r).submission();
    assertEquals("QID00001", sub.queueId());
    assertEquals(CLOCK.millis(), sub.acceptedAtMillis());
    assertEquals(MailAddress.parse("a@client.test"), sub.sender());
    assertEquals(new ClientInfo("client.test", "127.0.0.2", null, "ESMTP", null), sub.client());
    assertEquals("<id@client.test>", sub.messageId());
    assertEquals("8BITMIME", sub.dsn().bodyType());
    assertEquals(
        "Received: from client.test (localhost [127.0.0.2])\r\n"
            + "\tby mx.test (Mailstream) with ESMTP id QID00001\r\n"
            + "\tfor <b@local.test>; Sun, 22 Nov 2026 02:48:24 +0000\r\n",
        sub.receivedHeader());
    assertEquals(SmtpSession.Phase.COMMIT, s.phase());
    Reply ok = s.committed(sub.toEvent(new BodyRef(0, List.of(7L), 10_000)));
    assertEquals("250 2.0.0 QID00001 Message accepted for delivery", ok.toString());
    assertEquals(SmtpSession.Phase.READY, s.phase());
    assertNull(s.queueId());
  }

  @Test
  void failedCommitIs451AndTheSessionGoesOn() throws Exception {
    SmtpSession s = inData("127.0.0.1");
    assertInstanceOf(DataResult.Ready.class, s.endOfData(new BodySummary(1, 0, null)));
    assertEquals("451 4.3.0 Error: queue unavailable, try again later", s.notCommitted().toString());
    assertEquals("250 2.1.0 Ok", s.on(Command.parse(MAIL)).toString());
  }

  @Test
  void afterHeloRepliesHaveNoEnhancedStatus() throws Exception {
    SmtpSession s = session("127.0.0.1");
    s.on(Command.parse("HELO client.test"));
    s.on(Command.parse(MAIL));
    s.on(Command.parse(RCPT));
    s.on(Command.parse("DATA"));
    Reply r = ((DataResult.Rejected) s.endOfData(new BodySummary(20_000, 0, null))).reply();
    assertEquals("552 Message size exceeds fixed maximum message size", r.toString());
    assertFalse(r.closesConnection());
    assertEquals("SMTP", s.protocol());
    assertEquals("500 Line too long", s.lineTooLong().toString());
  }

  @Test
  void multipleRecipientsAreNotNamedInTheReceivedHeader() throws Exception {
    SmtpSession s = session("127.0.0.1");
    s.on(Command.parse(EHLO));
    s.on(Command.parse(MAIL));
    s.on(Command.parse(RCPT));
    s.on(Command.parse("RCPT TO:<c@elsewhere.test>"));
    s.on(Command.parse("DATA"));
    Submission sub = ((DataResult.Ready) s.endOfData(new BodySummary(1, 0, null))).submission();
    assertEquals(
        "Received: from client.test (localhost [127.0.0.1])\r\n"
            + "\tby mx.test (Mailstream) with ESMTP id QID00001;\r\n"
            + "\tSun, 22 Nov 2026 02:48:24 +0000\r\n",
        sub.receivedHeader());
    assertEquals(2, sub.recipients().size());
  }

  @Test
  void aBareLocalUserIsQualifiedWithThisHostsName() throws Exception {
    SmtpSession s = session("127.0.0.2");
    s.on(Command.parse(EHLO));
    s.on(Command.parse(MAIL));
    assertEquals("250 2.1.5 Ok", s.on(Command.parse("RCPT TO:<root>")).toString());
    assertEquals("250 2.1.5 Ok", s.on(Command.parse("RCPT TO:<Postmaster>")).toString());
    s.on(Command.parse("DATA"));
    Submission sub = ((DataResult.Ready) s.endOfData(new BodySummary(1, 0, null))).submission();
    assertEquals(List.of("root@mx.test", "Postmaster"),
        sub.recipients().stream().map(r -> r.address().toString()).toList());
  }

  @Test
  void ipv6ClientsAppearAsIpv6AddressLiterals() throws Exception {
    Peer peer = new Peer(InetAddress.getByName("2001:db8::1"), null);
    assertEquals("[IPv6:2001:db8:0:0:0:0:0:1]", peer.addressLiteral());
    assertEquals("[2001:db8:0:0:0:0:0:1]", peer.relay());
    // Loopback is shown as localhost without a look-up (and without being trusted as that name).
    assertEquals("localhost [0:0:0:0:0:0:0:1]", new Peer(InetAddress.getByName("::1"), null).relay());
  }

  /** A 250 promises delivery: while a stage of the process is down, MAIL is refused for later. */
  @Test
  void mailIsRefusedForLaterWhileAStageCannotRun() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> down = new java.util.concurrent.atomic.AtomicReference<>("router-0 could not start: broken");
    SmtpSession s = new SmtpSession(CONFIG, Policy.none(CONFIG), ConnectionSecurity.NONE,
        new Peer(InetAddress.getByName("127.0.0.1"), null), () -> "QID00001", CLOCK,
        () -> java.util.Optional.ofNullable(down.get()));
    s.on(Command.parse(EHLO));
    assertEquals("451 4.3.0 Error: mail system not running, try again later", s.on(Command.parse(MAIL)).toString());
    assertEquals("router-0 could not start: broken", s.reason());
    assertEquals("503 5.5.1 Error: need MAIL command", s.on(Command.parse(RCPT)).toString());
    down.set(null);
    assertEquals("250 2.1.0 Ok", s.on(Command.parse(MAIL)).toString());
  }

  private static SmtpSession inData(String client) throws Exception {
    SmtpSession s = session(client);
    for (String c : List.of(EHLO, MAIL, RCPT, "DATA")) {
      s.on(Command.parse(c));
    }
    return s;
  }

  private static SmtpSession session(String client) throws Exception {
    int[] n = {0};
    return new SmtpSession(
        CONFIG,
        new Peer(InetAddress.getByName(client), null),
        () -> String.format("QID%05d", ++n[0]),
        CLOCK);
  }
}
