package io.mailstream.delivery.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailstream.core.event.ReplyRecord;
import io.netty.handler.codec.smtp.DefaultSmtpResponse;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpRepliesTest {

  @Test
  void takesTheEnhancedStatusFromEveryLine() {
    ReplyRecord r =
        SmtpReplies.fromServer(
            new DefaultSmtpResponse(
                550, "5.1.1 The email account does not exist.", "5.1.1 Try again"));
    assertEquals(550, r.code());
    assertEquals("5.1.1", r.status());
    assertEquals(List.of("The email account does not exist.", "Try again"), r.lines());
    assertEquals("550 5.1.1 The email account does not exist. Try again", r.toString());
  }

  @Test
  void ignoresAStatusOfAnotherClass() {
    ReplyRecord r = SmtpReplies.fromServer(new DefaultSmtpResponse(550, "4.1.1 odd"));
    assertNull(r.status());
    assertEquals(List.of("4.1.1 odd"), r.lines());
  }

  @Test
  void keepsRepliesWithoutStatus() {
    ReplyRecord r = SmtpReplies.fromServer(new DefaultSmtpResponse(250, "fake.test"));
    assertNull(r.status());
    assertEquals("2.0.0", r.dsn());
  }

  @Test
  void capabilitiesReadTheEhloKeywords() {
    Capabilities c =
        Capabilities.fromEhlo(List.of("fake.test Hello", "SIZE 1000", "8bitmime", "PIPELINING"));
    assertEquals(1000, c.maxSize());
    assertEquals(true, c.has("8BITMIME"));
    assertEquals(false, c.has("fake.test"));
    assertEquals(-1, Capabilities.NONE.maxSize());
    assertEquals(0, Capabilities.fromEhlo(List.of("x", "SIZE")).maxSize());
  }

  @Test
  void describesTheRelayAsSendmailLogsIt() {
    InetSocketAddress a = new InetSocketAddress("192.0.2.1", 25);
    assertEquals("mx.example. [192.0.2.1]", SmtpConnector.describe("mx.example", a));
    assertEquals("mx.example. [192.0.2.1]", SmtpConnector.describe("mx.example.", a));
    assertEquals("[192.0.2.1] [192.0.2.1]", SmtpConnector.describe("192.0.2.1", a));
  }
}
