package io.mailstream.delivery.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.publish.BounceNotifier.Failure;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.Test;

/** The notice's content, parsed back with Jakarta Mail as a mail client would read it. */
class BounceMessageTest {
  static final MailAddress SENDER = new MailAddress("alice", "dmz.example");
  static final String RECEIVED = "Received: from web1 ([192.0.2.7]) by relay.test; Sun, 22 Nov 2026 03:00:00 +0000\r\n";
  static final byte[] BODY =
      "From: alice@dmz.example\r\nSubject: quarterly report\r\nMessage-ID: <m1@dmz.example>\r\n\r\nthe body text\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  static MessageAccepted original(String ret, long size, EnvelopeRecipient... recipients) {
    return new MessageAccepted("6LM2t1aB9xQpR01", 1_700_000_000_000L, SENDER, List.of(recipients),
        new ClientInfo("web1", "192.0.2.7", "web1.dmz.example", "ESMTP", null), "<m1@dmz.example>", RECEIVED,
        new BodyRef(0, List.of(0L), size), new MessageAccepted.DsnRequest(ret, "env+2B42", null, false));
  }

  static Failure failure(EnvelopeRecipient r, int code, String status, String text) {
    return new Failure(r, new Bounced("6LM2t1aB9xQpR01", r.address(), SENDER,
        "mx.corp.example. [192.0.2.25]", new ReplyRecord(code, status, List.of(text)), 1_700_000_060_000L));
  }

  static MimeMessage parse(byte[] octets) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(octets));
  }

  static final EnvelopeRecipient BOB =
      new EnvelopeRecipient(new MailAddress("bob", "corp.example"), "FAILURE", "rfc822;bob+2Bsales@corp.example");
  static final EnvelopeRecipient CAROL = EnvelopeRecipient.of(new MailAddress("carol", "corp.example"));

  @Test
  void fullReturnCarriesReportTextStatusAndOriginal() throws Exception {
    MessageAccepted m = original(null, BODY.length, BOB, CAROL);
    List<Failure> failed = List.of(failure(BOB, 550, "5.1.1", "User unknown"), failure(CAROL, 552, null, "Mailbox full"));
    byte[] octets = BounceMessage.build("relay.test", "NEWQID", SENDER, m, failed,
        ReturnedContent.of(m, BODY, ReturnedContent.wantsFull(m)), 1_700_000_070_000L);

    MimeMessage notice = parse(octets);
    assertEquals("Returned mail: see transcript for details", notice.getSubject());
    assertEquals("Mail Delivery Subsystem <MAILER-DAEMON@relay.test>", notice.getHeader("From", null));
    assertEquals("alice@dmz.example", notice.getHeader("To", null));
    assertEquals("<NEWQID@relay.test>", notice.getMessageID());
    assertTrue(notice.getContentType().startsWith("multipart/report"), notice.getContentType());
    assertTrue(notice.getContentType().contains("report-type=delivery-status"), notice.getContentType());

    MultipartReport report = assertInstanceOf(MultipartReport.class, notice.getContent());
    String text = report.getText();
    assertTrue(text.contains("The original message was received at "), text);
    assertTrue(text.contains("from web1.dmz.example [192.0.2.7]"), text);
    assertTrue(text.contains("6LM2t1aB9xQpR01"), text);
    assertTrue(text.contains("----- The following addresses had permanent fatal errors -----"), text);
    assertTrue(text.contains("<bob@corp.example>\r\n    (reason: 550 5.1.1 User unknown)"), text);
    assertTrue(text.contains("<<< 552 Mailbox full"), text);

    DeliveryStatus status = assertInstanceOf(DeliveryStatus.class, report.getReport());
    InternetHeaders perMessage = status.getMessageDSN();
    assertEquals("dns; relay.test", perMessage.getHeader("Reporting-MTA", null));
    assertEquals("env+42", perMessage.getHeader("Original-Envelope-Id", null));
    assertEquals("6LM2t1aB9xQpR01", perMessage.getHeader("X-Mailstream-Queue-Id", null));
    assertTrue(perMessage.getHeader("Arrival-Date", null).contains("2023"));
    assertEquals(2, status.getRecipientDSNCount());
    InternetHeaders bob = status.getRecipientDSN(0);
    assertEquals("rfc822; bob@corp.example", bob.getHeader("Final-Recipient", null));
    assertEquals("rfc822;bob+sales@corp.example", bob.getHeader("Original-Recipient", null));
    assertEquals("failed", bob.getHeader("Action", null));
    assertEquals("5.1.1", bob.getHeader("Status", null));
    assertEquals("dns; mx.corp.example", bob.getHeader("Remote-MTA", null));
    assertEquals("smtp; 550 5.1.1 User unknown", bob.getHeader("Diagnostic-Code", null));
    assertTrue(bob.getHeader("Last-Attempt-Date", null).contains("2023"));
    InternetHeaders carol = status.getRecipientDSN(1);
    assertNull(carol.getHeader("Original-Recipient"));
    assertEquals("5.0.0", carol.getHeader("Status", null));

    MimeMessage returned = report.getReturnedMessage();
    assertEquals("quarterly report", returned.getSubject());
    assertTrue(returned.getHeader("Received", null).contains("by relay.test"));
    assertEquals("the body text\r\n", returned.getContent());
  }

  @Test
  void retHdrsReturnsHeadersOnly() throws Exception {
    MessageAccepted m = original("HDRS", BODY.length, BOB);
    assertFalse(ReturnedContent.wantsFull(m));
    byte[] octets = BounceMessage.build("relay.test", "NEWQID", SENDER, m, List.of(failure(BOB, 550, "5.1.1", "User unknown")),
        ReturnedContent.of(m, BODY, false), 1_700_000_070_000L);
    String raw = new String(octets, StandardCharsets.US_ASCII);
    assertTrue(raw.contains("Content-Type: text/rfc822-headers"), raw);
    assertFalse(raw.contains("the body text"), raw);
    MultipartReport report = (MultipartReport) parse(octets).getContent();
    MimeMessage headers = report.getReturnedMessage();
    assertEquals("quarterly report", headers.getSubject());
  }

  @Test
  void bigMessagesComeBackAsHeadersOnlyWhateverRetSays() {
    assertTrue(ReturnedContent.wantsFull(original("FULL", ReturnedContent.MAX_FULL_RETURN, BOB)));
    assertFalse(ReturnedContent.wantsFull(original("FULL", ReturnedContent.MAX_FULL_RETURN + 1, BOB)));
    assertFalse(ReturnedContent.wantsFull(original(null, 5L * 1024 * 1024, BOB)));
    // privacy nobodyreturn: headers only, whatever RET says.
    assertFalse(ReturnedContent.wantsFull(original("FULL", 100, BOB), false));
  }

  @Test
  void headerSectionEndsBeforeTheEmptyLine() {
    assertEquals(BODY.length - "\r\nthe body text\r\n".length(), ReturnedContent.headerEnd(BODY));
    assertEquals(0, ReturnedContent.headerEnd("\r\nbody only\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(5, ReturnedContent.headerEnd("A: b\r".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void withoutTheOriginalTheNoticeStillReports() throws Exception {
    MessageAccepted m = original(null, BODY.length, BOB);
    byte[] octets = BounceMessage.build("relay.test", "NEWQID", SENDER, m, List.of(failure(BOB, 550, "5.1.1", "User unknown")),
        null, 1_700_000_070_000L);
    MultipartReport report = (MultipartReport) parse(octets).getContent();
    assertEquals(2, report.getCount());
    assertEquals(1, ((DeliveryStatus) report.getReport()).getRecipientDSNCount());
  }
}
