package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fuzz target of the command parser and the session's command handling: each input is a
 * client's side of a conversation, one command per LF-separated line, played against sessions
 * with every optional extension offered, with none, and with AUTH offered in the clear.
 *
 * <p>In a normal test run, {@code @FuzzTest} replays the seed corpus in {@code
 * src/test/resources/io/mailstream/ingress/session/CommandFuzzTestInputs/conversation/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} and writes any failing input there.
 *
 * <p>What must hold whatever the input: no exception at all (the session's only documented ones,
 * for a command in the wrong phase or AUTH and BDAT through {@code on}, are never provoked here);
 * every reply is well-formed SMTP (three-digit code, enhanced status agreeing with it, at most 512
 * octets a line, RFC 5321 4.5.3.1.5, and only after EHLO, RFC 2034); and the state machine keeps
 * its invariants (354 exactly when DATA begins, a queue id exactly while a body is under way, a
 * closing reply exactly when the session closes, nothing refused ever changes the phase to a
 * later one).
 */
class CommandFuzzTest {
  private static final Pattern WIRE_LINE = Pattern.compile("[2-5][0-9]{2}[ -][^\r\n]*");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
  private static final MailstreamConfig ALL = config(true);
  private static final MailstreamConfig NONE = config(false);
  private static final ConnectionSecurity PLAIN_AUTH = new ConnectionSecurity(false, false, true, true, false);

  @FuzzTest(maxDuration = "30s")
  void conversation(byte[] input) throws Exception {
    String text = new String(input, StandardCharsets.UTF_8);
    // As LineFramer passes them on: the CR of a CRLF is not part of the line.
    List<String> lines = Stream.of(text.split("\n", -1)).map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
    for (String line : lines) {
      checkParse(line);
    }
    play(lines, new SmtpSession(ALL, Policy.none(ALL), peer(), queueIds(), CLOCK));
    play(lines, new SmtpSession(NONE, Policy.none(NONE), peer(), queueIds(), CLOCK));
    play(lines, new SmtpSession(ALL, Policy.none(ALL), PLAIN_AUTH, peer(), queueIds(), CLOCK));
  }

  private static void checkParse(String line) {
    Command c = Command.parse(line);
    assertNotNull(c.verb());
    assertNotNull(c.word());
    assertNotNull(c.argument());
    if (line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
      assertEquals(Verb.INVALID, c.verb(), line);
    }
    assertEquals(c.argument().strip(), c.argument());
    BdatRequest b = BdatRequest.parse(c.argument());
    assertTrue(b.size() >= -1);
    assertTrue(!b.wellFormed() || b.framed());
  }

  private static void play(List<String> lines, SmtpSession s) {
    boolean esmtp = false;
    int n = 0;
    for (String line : lines) {
      n++;
      if (s.phase() == SmtpSession.Phase.CLOSED) {
        return;
      }
      if (s.authenticating()) {
        check(authStep(s, s.authResponse(line), n), false, esmtp);
        continue;
      }
      Command c = Command.parse(line);
      SmtpSession.Phase before = s.phase();
      Reply reply;
      if (c.verb() == Verb.AUTH) {
        reply = authStep(s, s.auth(c), n);
      } else if (c.verb() == Verb.BDAT) {
        reply = bdat(s, c, n);
      } else {
        reply = s.on(c);
        assertEquals(reply.code() == 354, s.phase() == SmtpSession.Phase.DATA, line);
        if (s.phase() == SmtpSession.Phase.DATA) {
          assertNotNull(s.queueId());
          reply = endOfData(s, n);
        }
      }
      if (c.verb() == Verb.EHLO || c.verb() == Verb.HELO) {
        esmtp = reply.isPositive() ? c.verb() == Verb.EHLO : esmtp;
      }
      check(reply, reply.code() == 354, esmtp);
      assertEquals(reply.closesConnection(), s.phase() == SmtpSession.Phase.CLOSED, line + " -> " + reply);
      if (!reply.isPositive()) {
        assertTrue(s.phase().compareTo(before) <= 0 || s.phase() == SmtpSession.Phase.CLOSED, line);
      }
      if (s.phase() != SmtpSession.Phase.MAIL && s.phase() != SmtpSession.Phase.CLOSED) {
        assertNull(s.queueId(), line);
      }
    }
  }

  // What the server does with an AUTH step: credentials are checked, and found right every other time.
  private static Reply authStep(SmtpSession s, SaslExchange.Step step, int n) {
    if (step instanceof SaslExchange.Credentials c) {
      return s.authChecked(c.authcid(), c.mechanism(), n % 2 == 0, false);
    }
    return step instanceof SaslExchange.Challenge ch ? ch.reply() : ((SaslExchange.Failed) step).reply();
  }

  // A BDAT chunk of the size asked for (capped; the session sees only its length).
  private static Reply bdat(SmtpSession s, Command c, int n) {
    ChunkPlan plan = s.bdat(c);
    if (plan.refusal() != null) {
      assertTrue(!plan.keep());
      return plan.refusal();
    }
    assertEquals(SmtpSession.Phase.DATA, s.phase());
    assertTrue(s.chunking());
    if (plan.last()) {
      return endOfData(s, n);
    }
    return s.endOfChunk(Math.min(plan.size(), 1L << 40));
  }

  // The end of a body, with what the server might have seen in it, and the queue's answer.
  private static Reply endOfData(SmtpSession s, int n) {
    BodySummary body =
        new BodySummary(n * 997L, n % 30, n % 2 == 0 ? "<id@x>" : null, n % 7 == 0 ? "bare <LF>" : null, n * 4099L);
    DataResult r = s.endOfData(body);
    if (r instanceof DataResult.Ready ready) {
      assertEquals(SmtpSession.Phase.COMMIT, s.phase());
      return n % 3 == 0
          ? s.notCommitted()
          : s.committed(ready.submission().toEvent(new BodyRef(0, List.of(0L), body.size())));
    }
    return r instanceof DataResult.Rejected rejected ? rejected.reply() : ((DataResult.Discarded) r).reply();
  }

  private static void check(Reply reply, boolean dataStart, boolean esmtp) {
    String wire = reply.toWire();
    assertTrue(wire.endsWith("\r\n"));
    String[] lines = wire.substring(0, wire.length() - 2).split("\r\n", -1);
    for (int i = 0; i < lines.length; i++) {
      assertTrue(WIRE_LINE.matcher(lines[i]).matches(), wire);
      assertEquals(String.valueOf(reply.code()), lines[i].substring(0, 3), wire);
      assertEquals(i == lines.length - 1 ? ' ' : '-', lines[i].charAt(3), wire);
      assertTrue(lines[i].getBytes(StandardCharsets.UTF_8).length + 2 <= 512, "reply line over 512 octets: " + wire);
    }
    if (reply.status() != null) {
      assertEquals(reply.code() / 100, reply.status().klass(), wire);
    }
    if (!esmtp && !dataStart) {
      assertNull(reply.status(), "enhanced status before EHLO: " + wire);
    }
  }

  private static MailstreamConfig config(boolean extensions) {
    return TestConfig.withSmtp(b -> b.dsn(extensions).smtputf8(extensions).chunking(extensions));
  }

  private static Peer peer() throws UnknownHostException {
    return new Peer(InetAddress.getByName("127.0.0.1"), null);
  }

  private static java.util.function.Supplier<String> queueIds() {
    int[] n = {0};
    return () -> String.format("QID%05d", ++n[0]);
  }
}
