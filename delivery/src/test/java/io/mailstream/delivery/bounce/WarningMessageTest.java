package io.mailstream.delivery.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.publish.BounceNotifier.Delay;
import io.mailstream.queue.publish.BounceNotifier.Delayed;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The delay warning, parsed back with Jakarta Mail as a mail client would read it. */
class WarningMessageTest {
  static final long NOW = 1_700_014_500_000L;

  static Delayed delayed(EnvelopeRecipient r, ReplyRecord reply) {
    return new Delayed(r, new Deferred("6LM2t1aB9xQpR01", r.address(), "mx.corp.example. [192.0.2.25]", reply, 3,
        NOW + 1_800_000));
  }

  static Delay delay(Delayed... recipients) {
    return new Delay(BounceMessageTest.SENDER, List.of(recipients), Duration.ofHours(4), Duration.ofDays(5));
  }

  static byte[] build(MessageAccepted m, Delay delay) throws Exception {
    return WarningMessage.build("relay.test", "NEWQID", BounceMessageTest.SENDER, m, delay,
        ReturnedContent.of(m, BounceMessageTest.BODY, false), NOW);
  }

  @Test
  void warningIsAReportWithDelayedActionsRetryTimeAndHeadersOnly() throws Exception {
    // RET=FULL asked for the body; a warning returns the header section anyway, as sendmail does.
    MessageAccepted m = BounceMessageTest.original("FULL", BounceMessageTest.BODY.length,
        BounceMessageTest.BOB, BounceMessageTest.CAROL);
    byte[] octets = build(m, delay(
        delayed(BounceMessageTest.BOB, new ReplyRecord(451, "4.3.0", List.of("Try again later"))),
        delayed(BounceMessageTest.CAROL, new ReplyRecord(452, null, List.of("Mailbox full")))));

    MimeMessage warning = BounceMessageTest.parse(octets);
    assertEquals("Warning: could not send message for past 4 hours", warning.getSubject());
    assertEquals("Mail Delivery Subsystem <MAILER-DAEMON@relay.test>", warning.getHeader("From", null));
    assertEquals("alice@dmz.example", warning.getHeader("To", null));
    assertEquals("<NEWQID@relay.test>", warning.getMessageID());
    assertEquals("auto-replied (warning)", warning.getHeader("Auto-Submitted", null));
    assertTrue(warning.getContentType().startsWith("multipart/report"), warning.getContentType());
    assertTrue(warning.getContentType().contains("report-type=delivery-status"), warning.getContentType());

    MultipartReport report = assertInstanceOf(MultipartReport.class, warning.getContent());
    String text = report.getText();
    assertTrue(text.startsWith("    **********************************************\r\n"
        + "    **      THIS IS A WARNING MESSAGE ONLY      **\r\n"
        + "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\r\n"
        + "    **********************************************\r\n"), text);
    assertTrue(text.contains("The original message was received at "), text);
    assertTrue(text.contains("----- The following addresses had transient non-fatal errors -----"), text);
    assertTrue(text.contains("<bob@corp.example>\r\n    (reason: 451 4.3.0 Try again later)"), text);
    assertTrue(text.contains("<<< 451 4.3.0 Try again later\r\n<bob@corp.example>... Deferred: 451 4.3.0 Try again later"), text);
    assertTrue(text.contains("Warning: message still undelivered after 4 hours\r\n"), text);
    assertTrue(text.contains("Will keep trying until message is 5 days old\r\n"), text);
    assertFalse(text.contains("permanent fatal errors"), text);

    DeliveryStatus status = assertInstanceOf(DeliveryStatus.class, report.getReport());
    assertEquals("dns; relay.test", status.getMessageDSN().getHeader("Reporting-MTA", null));
    assertEquals(2, status.getRecipientDSNCount());
    InternetHeaders bob = status.getRecipientDSN(0);
    assertEquals("rfc822; bob@corp.example", bob.getHeader("Final-Recipient", null));
    assertEquals("rfc822;bob+sales@corp.example", bob.getHeader("Original-Recipient", null));
    assertEquals("delayed", bob.getHeader("Action", null));
    assertEquals("4.3.0", bob.getHeader("Status", null));
    assertEquals("dns; mx.corp.example", bob.getHeader("Remote-MTA", null));
    assertEquals("smtp; 451 4.3.0 Try again later", bob.getHeader("Diagnostic-Code", null));
    assertEquals(Dates.rfc5322(NOW), bob.getHeader("Last-Attempt-Date", null));
    // Will-Retry-Until: acceptance plus the queue lifetime.
    assertEquals(Dates.rfc5322(m.acceptedAtMillis() + Duration.ofDays(5).toMillis()),
        bob.getHeader("Will-Retry-Until", null));
    InternetHeaders carol = status.getRecipientDSN(1);
    assertEquals("delayed", carol.getHeader("Action", null));
    assertEquals("4.0.0", carol.getHeader("Status", null), "from the reply class when the reply has no status");

    String raw = new String(octets, StandardCharsets.UTF_8);
    assertTrue(raw.contains("Content-Type: text/rfc822-headers"), raw);
    assertFalse(raw.contains("the body text"), "headers only: " + raw);
    assertEquals("quarterly report", report.getReturnedMessage().getSubject());
  }

  @Test
  void aNonTransientStatusIsReportedAsTransient() throws Exception {
    // A 421 with an odd 5.x.x status still defers; RFC 3464 2.3.4 wants 4.X.X with Action: delayed.
    MessageAccepted m = BounceMessageTest.original(null, BounceMessageTest.BODY.length, BounceMessageTest.CAROL);
    byte[] octets = build(m, delay(delayed(BounceMessageTest.CAROL, new ReplyRecord(421, "5.3.2", List.of("busy")))));
    MultipartReport report = (MultipartReport) BounceMessageTest.parse(octets).getContent();
    assertEquals("4.0.0", ((DeliveryStatus) report.getReport()).getRecipientDSN(0).getHeader("Status", null));
  }

  @Test
  void warningWithoutTheOriginalStillGoes() throws Exception {
    MessageAccepted m = BounceMessageTest.original(null, BounceMessageTest.BODY.length, BounceMessageTest.CAROL);
    byte[] octets = WarningMessage.build("relay.test", "NEWQID", BounceMessageTest.SENDER, m,
        delay(delayed(BounceMessageTest.CAROL, new ReplyRecord(451, "4.4.1", List.of("timeout")))), null, NOW);
    MultipartReport report = (MultipartReport) BounceMessageTest.parse(octets).getContent();
    assertNull(report.getReturnedMessage());
  }

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
      "14400,  4 hours",
      "1800,   30 minutes",
      "86400,  1 day",
      "3600,   1 hour",
      "432000, 5 days",
      "5,      5 seconds",
      "0,      0 seconds",
      "129600, '1 day, 12 hours'",
      "5430,   '1 hour, 30 minutes, 30 seconds'",
  })
  void durationsInSendmailsWords(long seconds, String words) {
    assertEquals(words, Intervals.words(Duration.ofSeconds(seconds)));
  }

  @Test
  void subjectNamesTheWarningTime() {
    assertEquals("Warning: could not send message for past 30 minutes", WarningMessage.subject(Duration.ofMinutes(30)));
  }
}
