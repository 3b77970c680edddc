package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
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

/** DSN, SMTPUTF8, CHUNKING and the text line limit as the pure session sees them. */
class ExtensionSessionTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:48:24Z"), ZoneOffset.UTC);
  private static final MailstreamConfig OFF =
      TestConfig.withSmtp(b -> b.dsn(false).smtputf8(false).chunking(false));
  private static final MailstreamConfig ON = TestConfig.withSmtp(b -> b.maxLineLength(1000));

  static Stream<Arguments> disabled() {
    return Stream.of(
        Arguments.of(List.of(), "EHLO client.test", "250 mx.test Hello client.test PIPELINING SIZE 26214400 8BITMIME ENHANCEDSTATUSCODES"),
        Arguments.of(List.of(), "MAIL FROM:<a@client.test> RET=FULL", "555 5.5.4 Unsupported parameter RET"),
        Arguments.of(List.of(), "MAIL FROM:<a@client.test> ENVID=x", "555 5.5.4 Unsupported parameter ENVID"),
        Arguments.of(List.of(), "MAIL FROM:<a@client.test> SMTPUTF8", "555 5.5.4 Unsupported parameter SMTPUTF8"),
        Arguments.of(List.of(), "MAIL FROM:<ä@client.test>", "553 5.6.7 Non-ASCII addresses not permitted for that sender"),
        Arguments.of(List.of("MAIL FROM:<a@client.test>"), "RCPT TO:<b@local.test> NOTIFY=NEVER", "555 5.5.4 Unsupported parameter NOTIFY"),
        Arguments.of(List.of("MAIL FROM:<a@client.test>"), "RCPT TO:<b@local.test> ORCPT=rfc822;b@local.test", "555 5.5.4 Unsupported parameter ORCPT"),
        Arguments.of(List.of("MAIL FROM:<a@client.test>"), "RCPT TO:<ä@local.test>", "553 5.6.7 Non-ASCII addresses not permitted for that recipient"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("disabled")
  void extensionsNotOfferedAreRefused(List<String> before, String command, String expected) throws Exception {
    SmtpSession s = session(OFF);
    s.on(Command.parse("EHLO client.test"));
    for (String b : before) {
      s.on(Command.parse(b));
    }
    assertEquals(expected, s.on(Command.parse(command)).toString());
  }

  @Test
  void bdatNotOfferedIs502AndItsChunkIsStillRead() throws Exception {
    SmtpSession s = session(OFF);
    s.on(Command.parse("EHLO client.test"));
    s.on(Command.parse("MAIL FROM:<a@client.test>"));
    s.on(Command.parse("RCPT TO:<b@local.test>"));
    ChunkPlan plan = s.bdat(Command.parse("BDAT 10 LAST"));
    assertEquals(10, plan.size());
    assertFalse(plan.keep());
    assertEquals("502 5.5.1 Error: command not implemented", plan.refusal().toString());
    assertEquals(SmtpSession.Phase.MAIL, s.phase());
  }

  @Test
  void dsnParametersAndSmtputf8ReachTheEvent() throws Exception {
    SmtpSession s = session(ON);
    s.on(Command.parse("EHLO client.test"));
    assertEquals("250 2.1.0 Ok", s.on(Command.parse("MAIL FROM:<jö@client.test> RET=full ENVID=a+2Bb BODY=8bitmime SMTPUTF8")).toString());
    s.on(Command.parse("RCPT TO:<b@local.test> NOTIFY=delay,failure ORCPT=rfc822;b@local.test"));
    s.on(Command.parse("RCPT TO:<ü@local.test>"));
    s.on(Command.parse("DATA"));
    Submission sub = assertInstanceOf(DataResult.Ready.class, s.endOfData(new BodySummary(1, 0, null, null, 1000))).submission();
    assertEquals(new DsnRequest("FULL", "a+2Bb", "8BITMIME", true), sub.dsn());
    assertEquals(
        List.of("DELAY,FAILURE|rfc822;b@local.test", "null|null"),
        sub.recipients().stream().map(r -> r.notifyOn() + "|" + r.orcpt()).toList());
    assertEquals("ü", sub.recipients().stream().map(EnvelopeRecipient::address).toList().get(1).localPart());
  }

  @Test
  void aLineOverTheLimitRefusesTheMessage() throws Exception {
    SmtpSession s = session(ON);
    s.on(Command.parse("EHLO client.test"));
    s.on(Command.parse("MAIL FROM:<a@client.test>"));
    s.on(Command.parse("RCPT TO:<b@local.test>"));
    s.on(Command.parse("DATA"));
    DataResult r = s.endOfData(new BodySummary(5000, 0, null, null, 1001));
    assertEquals(
        "554 5.6.0 Message refused: a line is longer than 1000 octets",
        assertInstanceOf(DataResult.Rejected.class, r).reply().toString());
    assertEquals(SmtpSession.Phase.READY, s.phase());
  }

  private static SmtpSession session(MailstreamConfig config) throws Exception {
    int[] n = {0};
    return new SmtpSession(
        config, new Peer(InetAddress.getByName("127.0.0.1"), null), () -> String.format("QID%05d", ++n[0]), CLOCK);
  }
}
