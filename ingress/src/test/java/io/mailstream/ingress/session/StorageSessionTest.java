package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The free-space floor (sendmail's MinFreeBlocks) in the pure session: MAIL and its SIZE, and the
 * end of DATA, get 452 4.3.1 when the message would not fit above the floor.
 */
class StorageSessionTest {
  private static final MailstreamConfig CONFIG = TestConfig.with(TestConfig.standard(), 10_000L, 2, 3, null);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:48:24Z"), ZoneOffset.UTC);
  private static final String INSUFFICIENT = "452 4.3.1 Insufficient system storage";

  /** A node with {@code free} octets above its floor. */
  private static SmtpSession session(long[] free) throws Exception {
    return new SmtpSession(CONFIG, Policy.none(CONFIG), ConnectionSecurity.NONE,
        new Peer(InetAddress.getByName("127.0.0.1"), null), () -> "QID00001", CLOCK, Optional::empty,
        octets -> free[0] - octets >= 0);
  }

  @ParameterizedTest(name = "{0} octets above the floor: \"{1}\" -> {2}")
  @CsvSource(delimiter = '|', value = {
      "-1    | MAIL FROM:<a@client.test>             | 452 4.3.1 Insufficient system storage",
      "0     | MAIL FROM:<a@client.test>             | 250 2.1.0 Ok",
      "5000  | MAIL FROM:<a@client.test> SIZE=5000  | 250 2.1.0 Ok",
      "4999  | MAIL FROM:<a@client.test> SIZE=5000  | 452 4.3.1 Insufficient system storage",
      // The limit is checked first: a message too big for any space is a permanent refusal.
      "-1    | MAIL FROM:<a@client.test> SIZE=10001 | 552 5.3.4 Message size exceeds fixed maximum message size",
  })
  void mailIsRefusedForLaterWhenTheMessageWouldCrossTheFloor(long above, String mail, String expected)
      throws Exception {
    SmtpSession s = session(new long[] {above});
    s.on(Command.parse("EHLO client.test"));
    assertEquals(expected, s.on(Command.parse(mail)).toString());
    if (expected.startsWith("452")) {
      assertEquals("503 5.5.1 Error: need MAIL command", s.on(Command.parse("RCPT TO:<b@local.test>")).toString());
    }
  }

  @Test
  void endOfDataIsRefusedWhenTheBodyNoLongerFitsAndNothingIsHandedOver() throws Exception {
    long[] free = {1_000_000};
    SmtpSession s = session(free);
    for (String c : List.of("EHLO client.test", "MAIL FROM:<a@client.test>", "RCPT TO:<b@local.test>", "DATA")) {
      s.on(Command.parse(c));
    }
    // Other sessions took the room while this body arrived.
    free[0] = 4_000;
    DataResult r = s.endOfData(new BodySummary(5_000, 0, null));
    assertEquals(INSUFFICIENT, assertInstanceOf(DataResult.Rejected.class, r).reply().toString());
    assertEquals(SmtpSession.Phase.READY, s.phase());
    // Space returns: the next transaction is taken.
    free[0] = 1_000_000;
    assertEquals("250 2.1.0 Ok", s.on(Command.parse("MAIL FROM:<a@client.test>")).toString());
  }

  @Test
  void endOfDataWithinTheFloorIsHandedOver() throws Exception {
    SmtpSession s = session(new long[] {5_000});
    for (String c : List.of("EHLO client.test", "MAIL FROM:<a@client.test>", "RCPT TO:<b@local.test>", "DATA")) {
      s.on(Command.parse(c));
    }
    assertInstanceOf(DataResult.Ready.class, s.endOfData(new BodySummary(5_000, 0, null)));
  }
}
