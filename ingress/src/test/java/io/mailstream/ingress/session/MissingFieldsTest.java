package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.Submission;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Date, From and Message-ID sendmail adds to local mail that lacks them, added by the session
 * of a local submission ({@code sendmail -bs} among them) to the fields it prepends, in the node's
 * zone; a message that has them, and mail over TCP, is left as sent.
 */
class MissingFieldsTest {
  private static final MailstreamConfig CONFIG = TestConfig.with(TestConfig.standard(), 10_000L, 2, 3, null);
  // daemon is trusted (sendmail's class t): no X-Authentication-Warning for the sender it sets.
  // The node's zone is not UTC: the Date must be written in it, as the Received date is.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:48:04Z"), ZoneOffset.ofHours(1));
  private static final String RECEIVED = "Received: (from daemon@localhost)\r\n"
      + "\tby mx.test (Mailstream) with ESMTP id QID00001\r\n"
      + "\tfor <b@elsewhere.test>; Sun, 22 Nov 2026 03:48:04 +0100\r\n";

  @Test
  void aLocalMessageWithoutThemGetsAllThreeFromTheEnvelopeSender() throws Exception {
    Submission sub = submit(Peer.localUser("daemon"), "MAIL FROM:<root@mx.test>", "Subject: x\r\n\r\nbody\r\n");
    assertEquals(RECEIVED
            + "Date: Sun, 22 Nov 2026 03:48:04 +0100\r\n"
            + "From: root@mx.test\r\n"
            + "Message-ID: <20261122034804.QID00001@mx.test>\r\n",
        sub.receivedHeader());
    // The mail log and the queue name the message by the Message-ID it now has.
    assertEquals("<20261122034804.QID00001@mx.test>", sub.messageId());
  }

  @Test
  void aBounceIsFromTheSubmittingUserAtThisHost() throws Exception {
    Submission sub = submit(Peer.localUser("daemon"), "MAIL FROM:<>", "Subject: x\r\n\r\nbody\r\n");
    assertTrue(sub.receivedHeader().contains("\r\nFrom: daemon@mx.test\r\n"), sub.receivedHeader());
  }

  @Test
  void fieldsTheMessageHasAreNeitherAddedNorTouched() throws Exception {
    Submission all = submit(Peer.localUser("daemon"), "MAIL FROM:<root@mx.test>",
        "date: Sat, 1 Jan 2000 00:00:00 +0000\r\nFROM:\r\n\tAlice <a@b.test>\r\nMessage-ID: <own@b.test>\r\n\r\nbody\r\n");
    assertEquals(RECEIVED, all.receivedHeader());
    assertEquals("<own@b.test>", all.messageId());

    Submission some = submit(Peer.localUser("daemon"), "MAIL FROM:<root@mx.test>",
        "From: a@b.test\r\nSubject: x\r\n\r\nDate: in the body\r\n");
    assertEquals(RECEIVED
            + "Date: Sun, 22 Nov 2026 03:48:04 +0100\r\n"
            + "Message-ID: <20261122034804.QID00001@mx.test>\r\n",
        some.receivedHeader());
  }

  @Test
  void aBodyThatStartsWithTextIsSeparatedFromTheAddedHeader() throws Exception {
    Submission sub = submit(Peer.localUser("daemon"), "MAIL FROM:<root@mx.test>", "just text\r\nFrom: x\r\n");
    assertEquals(RECEIVED
            + "Date: Sun, 22 Nov 2026 03:48:04 +0100\r\n"
            + "From: root@mx.test\r\n"
            + "Message-ID: <20261122034804.QID00001@mx.test>\r\n"
            + "\r\n",
        sub.receivedHeader());
  }

  @Test
  void mailOverTcpIsPassedOnAsSent() throws Exception {
    SmtpSession s = inData(new Peer(InetAddress.getByName("127.0.0.1"), null), "MAIL FROM:<root@mx.test>");
    // Its header section has none of the three, and still none is added.
    BodySummary none = new BodySummary(10, 0, null, null, 0, OriginatorFields.NONE);
    Submission sub = assertInstanceOf(DataResult.Ready.class, s.endOfData(none)).submission();
    assertEquals("Received: from client.test (localhost [127.0.0.1])\r\n"
            + "\tby mx.test (Mailstream) with ESMTP id QID00001\r\n"
            + "\tfor <b@elsewhere.test>; Sun, 22 Nov 2026 03:48:04 +0100\r\n",
        sub.receivedHeader());
    assertNull(sub.messageId());
  }

  private static Submission submit(Peer peer, String mail, String body) throws Exception {
    SmtpSession s = inData(peer, mail);
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    HeaderScanner headers = new HeaderScanner();
    headers.update(bytes, 0, bytes.length);
    headers.finish();
    BodySummary summary =
        new BodySummary(bytes.length, headers.hops(), headers.messageId(), null, 0, headers.originatorFields());
    return assertInstanceOf(DataResult.Ready.class, s.endOfData(summary)).submission();
  }

  private static SmtpSession inData(Peer peer, String mail) throws Exception {
    SmtpSession s = new SmtpSession(CONFIG, peer, () -> "QID00001", CLOCK);
    for (String c : List.of("EHLO client.test", mail, "RCPT TO:<b@elsewhere.test>", "DATA")) {
      Reply r = s.on(Command.parse(c));
      assertTrue(r.isPositive(), c + ": " + r);
    }
    return s;
  }
}
