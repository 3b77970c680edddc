package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.TRACE;
import static io.mailstream.delivery.testkit.TestMessages.address;
import static io.mailstream.delivery.testkit.TestMessages.awkward;
import static io.mailstream.delivery.testkit.TestMessages.bytes;
import static io.mailstream.delivery.testkit.TestMessages.concat;
import static io.mailstream.delivery.testkit.TestMessages.every;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static io.mailstream.delivery.testkit.TestMessages.split;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.ReceivedMessage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What arrives at the next hop when all goes well: bytes, envelope and ESMTP parameters. */
@Timeout(30)
class SmtpMailerDeliveryTest {
  private ClientFixture f;

  @BeforeEach
  void start() throws Exception {
    f = ClientFixture.start();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  /** 8-bit text and raw bytes, dots at line starts, lines of the RFC 5321 4.5.3.1.6 maximum. */
  static byte[] trickyBody() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(bytes("Subject: =?utf-8?q?x?=\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"));
    b.writeBytes(bytes("Grüße, naïve café — ünïcödé\r\n"));
    b.writeBytes(new byte[] {(byte) 0x80, (byte) 0xff, (byte) 0xfe, 0x01, 0x7f, '\r', '\n'});
    b.writeBytes(bytes(".\r\n..\r\n.leading dot\r\n...three\r\nmid.dle\r\n\r\n.\r\n"));
    byte[] longLine = new byte[998];
    Arrays.fill(longLine, (byte) 'x');
    b.writeBytes(longLine);
    b.writeBytes(bytes("\r\n"));
    longLine[0] = '.';
    b.writeBytes(longLine);
    b.writeBytes(bytes("\r\n.last\r\n"));
    return b.toByteArray();
  }

  static Stream<Arguments> chunkings() {
    byte[] body = trickyBody();
    int longLine = indexOf(body, (byte) 'x');
    return Stream.<Function<byte[], List<byte[]>>>of(
            List::of,
            b -> every(b, 1),
            b -> every(b, 7),
            b -> every(b, 4096),
            b -> awkward(b),
            b -> split(b, longLine, longLine + 998, longLine + 999))
        .map(c -> Arguments.of(c.apply(body)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("chunkings")
  void deliversTheBodyByteForByte(List<byte[]> chunks) {
    OutboundMessage m = message("sender@example.test", List.of("rcpt@example.test"), chunks, true);

    TransactionResult r = f.send(m);

    assertTrue(r.all(Outcome.DELIVERED), r::toString);
    assertEquals("250 2.0.0 Ok: queued", r.recipients().get(0).reply().toString());
    ReceivedMessage got = f.host.awaitMessages(1, WAIT).get(0);
    assertArrayEquals(concat(bytes(TRACE), trickyBody()), got.data());
    assertEquals("sender@example.test", got.sender());
    assertEquals(List.of("rcpt@example.test"), got.recipients());
  }

  @Test
  void declaresSizeAndEightBitWhenAdvertised() {
    OutboundMessage m = message("a@x.test", List.of("b@y.test"), List.of(trickyBody()), true);

    f.send(m);

    long size = bytes(TRACE).length + trickyBody().length;
    assertEquals(
        "MAIL FROM:<a@x.test> SIZE=" + size + " BODY=8BITMIME",
        f.host.awaitMessages(1, WAIT).get(0).mailCommand());
  }

  @Test
  void declaresNoBodyTypeForSevenBitMessages() {
    f.send(message("a@x.test", List.of("b@y.test"), "Subject: hi\r\n\r\nhi\r\n"));

    assertEquals(
        "MAIL FROM:<a@x.test> SIZE=" + (TRACE.length() + "Subject: hi\r\n\r\nhi\r\n".length()),
        f.host.awaitMessages(1, WAIT).get(0).mailCommand());
  }

  @Test
  void sendsNoParametersTheServerDidNotAdvertise() {
    f.host.advertise("PIPELINING");

    f.send(message("a@x.test", List.of("b@y.test"), List.of(trickyBody()), true));

    assertEquals("MAIL FROM:<a@x.test>", f.host.awaitMessages(1, WAIT).get(0).mailCommand());
  }

  @Test
  void passesDsnParametersWhenAdvertised() {
    f.host.advertise("DSN");
    OutboundMessage m =
        new OutboundMessage(
            "Q1",
            address("a@x.test"),
            List.of(
                new EnvelopeRecipient(address("b@y.test"), "SUCCESS,FAILURE", "rfc822;b@y.test")),
            TRACE,
            BodySource.of(bytes("x\r\n")),
            new DsnRequest("HDRS", "ENV1", null, false));

    assertTrue(f.send(m).all(Outcome.DELIVERED));

    assertEquals(
        List.of(
            "EHLO mailstream.test",
            "MAIL FROM:<a@x.test> RET=HDRS ENVID=ENV1",
            "RCPT TO:<b@y.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@y.test",
            "DATA"),
        f.host.commands());
  }

  @Test
  void sendsTheNullSenderAsEmptyPath() {
    f.send(message("", List.of("b@y.test"), "x\r\n"));

    ReceivedMessage got = f.host.awaitMessages(1, WAIT).get(0);
    assertTrue(got.mailCommand().startsWith("MAIL FROM:<> "), got.mailCommand());
    assertEquals("", got.sender());
  }

  @Test
  void endsABodyWithoutFinalLineEndWithCrlf() {
    f.send(message("a@x.test", List.of("b@y.test"), List.of(bytes("no line end")), false));

    assertEquals(TRACE + "no line end\r\n", f.host.awaitMessages(1, WAIT).get(0).text());
  }

  @Test
  void sendsOneRcptPerRecipientInOneTransaction() {
    TransactionResult r =
        f.send(message("a@x.test", List.of("b@y.test", "c@y.test", "d@z.test"), "x\r\n"));

    assertTrue(r.all(Outcome.DELIVERED));
    assertEquals("[127.0.0.1] [127.0.0.1]", r.relay());
    ReceivedMessage got = f.host.awaitMessages(1, WAIT).get(0);
    assertEquals(List.of("b@y.test", "c@y.test", "d@z.test"), got.recipients());
    assertEquals(1, f.host.count("DATA"));
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
