package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sendmail's anti-abuse controls in the pure session: greet_pause, BAD_RCPT_THROTTLE, authwarnings. */
class ControlsSessionTest {

  private static SmtpSession session(String hostname, String ip, String... smtp) throws Exception {
    MailstreamConfig config = TestConfig.withSmtp(TestConfig.standard(), List.of(smtp));
    Peer peer = new Peer(InetAddress.getByName(ip), hostname);
    return new SmtpSession(config, peer, () -> "QUEUEID000000001", Clock.systemUTC());
  }

  private static String received(SmtpSession s, String helo) {
    s.greeting();
    s.on(Command.parse("EHLO " + helo));
    s.on(Command.parse("MAIL FROM:<a@x.test>"));
    s.on(Command.parse("RCPT TO:<b@local.test>"));
    s.on(Command.parse("DATA"));
    DataResult r = s.endOfData(new BodySummary(10, 0, null));
    return ((DataResult.Ready) r).submission().receivedHeader();
  }

  @ParameterizedTest(name = "{0} as {2}: {3}")
  @CsvSource({
    "host.example, 192.0.2.1, other.example, true",
    "host.example, 192.0.2.1, HOST.example, false",
    "host.example, 192.0.2.1, [192.0.2.1], false",
    "localhost, 127.0.0.1, mx.test, false",
    // Programs on this host name themselves as they like.
    "localhost, 127.0.0.1, other.example, false",
    // No confirmed name: nothing to hold the claim against.
    ", 192.0.2.1, other.example, false",
  })
  void authenticationWarning(String hostname, String ip, String helo, boolean warned) throws Exception {
    String received = received(session(hostname, ip), helo);
    String field = "X-Authentication-Warning: mx.test: Host " + hostname + " [" + ip + "] claimed to be " + helo + "\r\n";
    assertEquals(warned, received.endsWith(field), received);
    assertTrue(received.startsWith("Received: "));
  }

  @Test
  void noWarningWithoutAuthwarnings() throws Exception {
    String received = received(session("host.example", "192.0.2.1", "privacy novrfy"), "other.example");
    assertFalse(received.contains("X-Authentication-Warning"), received);
  }

  @Test
  void badRcptThrottleCountsPerTransaction() throws Exception {
    SmtpSession s = session(null, "192.0.2.9", "bad-rcpt-throttle 2");
    s.greeting();
    s.on(Command.parse("EHLO c.test"));
    s.on(Command.parse("MAIL FROM:<a@c.test>"));
    Command rcpt = Command.parse("RCPT TO:<x@elsewhere.test>");
    assertEquals(Duration.ZERO, s.delayBefore(rcpt));
    assertEquals(550, s.on(rcpt).code());
    assertEquals(550, s.on(rcpt).code());
    assertEquals(Duration.ofSeconds(1), s.delayBefore(rcpt));
    assertEquals(Duration.ZERO, s.delayBefore(Command.parse("NOOP")));
    assertTrue(s.rcptFloodBegins());
    assertFalse(s.rcptFloodBegins()); // logged once
    s.on(Command.parse("RSET"));
    s.on(Command.parse("MAIL FROM:<a@c.test>"));
    assertEquals(Duration.ZERO, s.delayBefore(rcpt));
  }

  @Test
  void greetPauseIsCappedAtFiveMinutesAndTalkingFirstMakesANullServer() throws Exception {
    assertEquals(Duration.ZERO, session(null, "192.0.2.9").greetPause());
    assertEquals(Duration.ofMinutes(5), session(null, "192.0.2.9", "greet-pause 1h").greetPause());
    SmtpSession s = session(null, "192.0.2.9", "greet-pause 2s");
    assertEquals(Duration.ofSeconds(2), s.greetPause());
    assertEquals("554 mx.test ESMTP not accepting messages", s.talkedFirst().toWire().strip());
    assertEquals(250, s.on(Command.parse("HELO c.test")).code());
    assertEquals("550 Command rejected", s.on(Command.parse("MAIL FROM:<a@c.test>")).toWire().strip());
    assertEquals("pre-greeting traffic", s.reason());
    for (int i = 0; i < 24; i++) {
      s.on(Command.parse("MAIL FROM:<a@c.test>"));
    }
    // srvrsmtp.c MAXBADCOMMANDS: the 26th refused command ends the session.
    assertTrue(s.on(Command.parse("MAIL FROM:<a@c.test>")).closesConnection());
  }
}
