package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.address;
import static io.mailstream.delivery.testkit.TestMessages.bytes;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.Destination;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.ChunkSink;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.TestMessages;
import io.mailstream.delivery.testkit.Verb;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each way a transaction can fail, and which recipients it affects. */
@Timeout(30)
class SmtpMailerFailureTest {
  private static final List<String> THREE = List.of("a@y.test", "b@y.test", "c@y.test");
  private static final String RELAY = "[127.0.0.1] [127.0.0.1]";

  private ClientFixture f;

  @BeforeEach
  void start() throws Exception {
    f = ClientFixture.start();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private TransactionResult sendToThree() {
    return f.send(message("s@x.test", THREE, "Subject: t\r\n\r\nbody\r\n"));
  }

  @Test
  void rcpt550FailsOnlyThatRecipient() {
    f.host.onRcpt("b@y.test", "550 5.1.1 No such user");

    TransactionResult r = sendToThree();

    assertResult(r, "a@y.test", Outcome.DELIVERED, "250 2.0.0 Ok: queued");
    assertResult(r, "b@y.test", Outcome.BOUNCED, "550 5.1.1 No such user");
    assertResult(r, "c@y.test", Outcome.DELIVERED, "250 2.0.0 Ok: queued");
    assertEquals(
        List.of("a@y.test", "c@y.test"), f.host.awaitMessages(1, WAIT).get(0).recipients());
  }

  @Test
  void rcpt451DefersOnlyThatRecipient() {
    f.host.onRcpt("a@y.test", "451 4.7.1 Greylisted, try later");

    TransactionResult r = sendToThree();

    assertResult(r, "a@y.test", Outcome.DEFERRED, "451 4.7.1 Greylisted, try later");
    assertEquals(2, r.with(Outcome.DELIVERED).size());
    assertEquals(
        List.of("b@y.test", "c@y.test"), f.host.awaitMessages(1, WAIT).get(0).recipients());
  }

  @Test
  void noAcceptedRecipientSkipsDataAndResets() {
    f.host.on(Verb.RCPT, "550 5.7.1 Relaying denied");

    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.BOUNCED));
    assertEquals("550 5.7.1 Relaying denied", r.recipients().get(2).reply().toString());
    assertEquals(0, f.host.count("DATA"));
    assertEquals("RSET", last(f.host.commands()));
    assertEquals(1, f.pool.idleCount(f.host.destination().key()), "still reusable");
  }

  @Test
  void mail421DefersAllAndClosesTheConnection() {
    f.host.on(Verb.MAIL, "421 4.3.2 Service shutting down");

    TransactionResult r = sendToThree();

    assertAll(r, Outcome.DEFERRED, "421 4.3.2 Service shutting down");
    f.host.awaitConnectionsOpen(0, WAIT);
    assertEquals(0, f.pool.idleCount(f.host.destination().key()));
    assertEquals(0, f.host.count("QUIT"), "no QUIT after 421");
  }

  @Test
  void rcpt421DefersEveryRecipientNotYetDecided() {
    f.host.onRcpt("a@y.test", "550 5.1.1 No such user");
    f.host.onRcpt("c@y.test", "421 4.4.5 Too busy");

    TransactionResult r = sendToThree();

    assertResult(r, "a@y.test", Outcome.BOUNCED, "550 5.1.1 No such user");
    assertResult(r, "b@y.test", Outcome.DEFERRED, "421 4.4.5 Too busy");
    assertResult(r, "c@y.test", Outcome.DEFERRED, "421 4.4.5 Too busy");
    f.host.awaitConnectionsOpen(0, WAIT);
    assertEquals(0, f.host.count("DATA"));
  }

  @Test
  void mail5xxBouncesAllAnd4xxDefersAll() {
    f.host.on(Verb.MAIL, "553 5.1.8 Sender domain does not exist");
    assertAll(sendToThree(), Outcome.BOUNCED, "553 5.1.8 Sender domain does not exist");

    f.host.on(Verb.MAIL, "452 4.3.1 Insufficient system storage");
    assertAll(sendToThree(), Outcome.DEFERRED, "452 4.3.1 Insufficient system storage");
    assertEquals(0, f.host.count("RCPT"));
    assertEquals(1, f.host.connectionsAccepted(), "the connection survives a refused MAIL");
  }

  @Test
  void dataCommandRefusedFailsTheAcceptedRecipientsAndResets() {
    f.host.onRcpt("a@y.test", "550 5.1.1 No such user");
    f.host.on(Verb.DATA, "554 5.7.0 Transaction failed");

    TransactionResult r = sendToThree();

    assertResult(r, "a@y.test", Outcome.BOUNCED, "550 5.1.1 No such user");
    assertResult(r, "b@y.test", Outcome.BOUNCED, "554 5.7.0 Transaction failed");
    assertResult(r, "c@y.test", Outcome.BOUNCED, "554 5.7.0 Transaction failed");
    assertEquals("RSET", last(f.host.commands()));
  }

  @Test
  void endOfData451DefersAndEndOfData554Bounces() {
    f.host.onRcpt("c@y.test", "550 5.1.1 No such user");
    f.host.on(Verb.DATA_END, "451 4.3.0 Queue write failed");

    TransactionResult r = sendToThree();

    assertResult(r, "a@y.test", Outcome.DEFERRED, "451 4.3.0 Queue write failed");
    assertResult(r, "b@y.test", Outcome.DEFERRED, "451 4.3.0 Queue write failed");
    assertResult(r, "c@y.test", Outcome.BOUNCED, "550 5.1.1 No such user");

    f.host.on(Verb.DATA_END, "554 5.6.0 Message content rejected");
    assertResult(sendToThree(), "a@y.test", Outcome.BOUNCED, "554 5.6.0 Message content rejected");
    assertTrue(f.host.messages().isEmpty());
  }

  @Test
  void droppedConnectionMidDataDefersAll() {
    f.host.dropMidData(1000);
    byte[] big = new byte[256 * 1024];
    Arrays.fill(big, (byte) 'x');
    for (int i = 76; i < big.length; i += 78) {
      big[i] = '\r';
      big[i + 1] = '\n';
    }

    TransactionResult r =
        f.send(message("s@x.test", THREE, TestMessages.every(big, 8192), false));

    assertTrue(r.all(Outcome.DEFERRED), r::toString);
    ReplyRecord reply = r.recipients().get(0).reply();
    assertEquals(451, reply.code());
    assertEquals("4.4.2", reply.status());
    // Whether the write or the wait for the final reply notices first depends on socket buffers.
    assertTrue(
        reply.text().matches("Connection (to|closed by) \\Q" + RELAY + "\\E .*"), reply.text());
    assertTrue(f.host.messages().isEmpty());
    assertEquals(0, f.pool.idleCount(f.host.destination().key()));
  }

  @Test
  void unreadableBodyDefersAllAndNeverSendsTheFinalDot() {
    BodySource failing =
        new BodySource() {
          @Override
          public long size() {
            return 10;
          }

          @Override
          public void writeTo(ChunkSink sink) throws IOException {
            sink.accept(bytes("first line\r\n"));
            throw new IOException("bodies topic unavailable");
          }
        };
    OutboundMessage m =
        new OutboundMessage(
            "Q9", address("s@x.test"), TestMessages.recipients("a@y.test"), "", failing, null);

    TransactionResult r = f.send(m);

    assertAll(
        r,
        Outcome.DEFERRED,
        "451 4.3.0 Cannot read the queued message Q9: "
            + "java.io.IOException: bodies topic unavailable");
    f.host.awaitConnectionsOpen(0, WAIT);
    assertTrue(f.host.messages().isEmpty());
  }

  @Test
  void ehloRefusedFallsBackToHelo() {
    f.host.on(Verb.EHLO, "502 5.5.2 Error: command not recognized");

    TransactionResult r =
        f.send(message("s@x.test", List.of("a@y.test"), List.of(bytes("\u00e9\r\n")), true));

    assertTrue(r.all(Outcome.DELIVERED), r::toString);
    assertEquals(
        List.of("EHLO mailstream.test", "HELO mailstream.test", "MAIL FROM:<s@x.test>"),
        f.host.commands().subList(0, 3));
  }

  @Test
  void heloRefusedToo() {
    f.host.on(Verb.EHLO, "500 5.5.1 What?");
    f.host.on(Verb.HELO, "550 5.7.1 Go away");

    assertAll(sendToThree(), Outcome.BOUNCED, "550 5.7.1 Go away");
    f.host.awaitCommands("QUIT", 1, WAIT);
  }

  @Test
  void greetingRefused() {
    f.host.on(Verb.GREETING, "554 5.7.1 No SMTP service here");

    TransactionResult r = sendToThree();

    assertAll(r, Outcome.BOUNCED, "554 5.7.1 No SMTP service here");
    assertEquals(RELAY, r.relay());
    f.host.awaitCommands("QUIT", 1, WAIT);
    assertEquals(List.of("QUIT"), f.host.commands());
  }

  @Test
  void greeting421Defers() {
    f.host.on(Verb.GREETING, "421 4.3.2 Too many connections");

    assertAll(sendToThree(), Outcome.DEFERRED, "421 4.3.2 Too many connections");
  }

  @Test
  void messageOverTheAdvertisedSizeBouncesWithoutMail() {
    f.host.advertise("SIZE 50");

    TransactionResult r = sendToThree();

    long size = TestMessages.TRACE.length() + "Subject: t\r\n\r\nbody\r\n".length();
    assertAll(
        r,
        Outcome.BOUNCED,
        "552 5.3.4 Message size " + size + " exceeds the limit of 50 the server announced");
    assertEquals(0, f.host.count("MAIL"));
  }

  @Test
  void refusedConnectionDefers() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Destination nowhere = new Destination("relay", "127.0.0.1", closedPort, false);

    TransactionResult r =
        f.mailer.deliver(nowhere, message("s@x.test", List.of("a@y.test"), "x\r\n"));

    RecipientResult a = r.recipients().get(0);
    assertEquals(Outcome.DEFERRED, a.outcome());
    assertEquals(451, a.reply().code());
    assertEquals("4.4.1", a.reply().status());
    assertTrue(a.reply().text().startsWith("Cannot connect to " + RELAY + ": "), a.reply().text());
    assertEquals(RELAY, r.relay());
  }

  private static void assertResult(
      TransactionResult r, String rcpt, Outcome outcome, String reply) {
    RecipientResult x = r.of(address(rcpt));
    assertEquals(outcome, x.outcome(), rcpt + ": " + x);
    assertEquals(reply, x.reply().toString(), rcpt);
  }

  private static void assertAll(TransactionResult r, Outcome outcome, String reply) {
    for (RecipientResult x : r.recipients()) {
      assertEquals(outcome, x.outcome(), x.toString());
      assertEquals(reply, x.reply().toString());
    }
  }

  private static String last(List<String> l) {
    return l.get(l.size() - 1);
  }
}
