package io.mailstream.delivery.bounce;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.publish.BounceNotifier.Failure;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;

/**
 * A delivery status notification for recipients of one message that failed together: RFC 3464's
 * multipart/report with report-type=delivery-status, from sendmail's "Mail Delivery Subsystem":
 * the text part ({@link NoticeText}), the delivery-status part ({@link StatusReport}) and the
 * returned content ({@link ReturnedContent}: message/rfc822, or text/rfc822-headers). Delay
 * warnings ({@link WarningMessage}) are assembled the same way from their own parts.
 */
final class BounceMessage {
  static final String SUBJECT = "Returned mail: see transcript for details";
  private static final Session SESSION = Session.getInstance(new Properties());

  private BounceMessage() {}

  /**
   * The notice as octets with CRLF line ends, ready to be queued like received mail.
   *
   * @param hostname this MTA's name: Reporting-MTA and the MAILER-DAEMON address
   * @param queueId the notice's own queue id, for its Message-ID
   * @param to who gets it: the original envelope sender
   * @param returned what to give back of the original, or null when it could not be read
   */
  static byte[] build(String hostname, String queueId, MailAddress to, MessageAccepted original,
      List<Failure> failures, ReturnedContent returned, long nowMillis) throws MessagingException {
    Parts parts = new Parts(SUBJECT, "auto-replied (failure)", NoticeText.of(original, failures),
        StatusReport.of(hostname, original, failures));
    return assemble(hostname, queueId, to, parts, returned, nowMillis);
  }

  /**
   * What differs between a failure notice and a delay warning.
   *
   * @param autoSubmitted the Auto-Submitted field's value (RFC 3834 5)
   * @param text the human-readable first part
   * @param report the message/delivery-status part
   */
  record Parts(String subject, String autoSubmitted, String text, DeliveryStatus report) {}

  /** The multipart/report from MAILER-DAEMON around {@code parts}, as octets with CRLF line ends. */
  static byte[] assemble(String hostname, String queueId, MailAddress to, Parts parts, ReturnedContent returned,
      long nowMillis) throws MessagingException {
    MultipartReport body;
    if (returned == null) {
      body = new MultipartReport(parts.text(), parts.report());
    } else if (returned.headersOnly()) {
      body = new MultipartReport(parts.text(), parts.report(),
          new InternetHeaders(new ByteArrayInputStream(returned.octets())));
    } else {
      body = new MultipartReport(parts.text(), parts.report(),
          new MimeMessage(SESSION, new ByteArrayInputStream(returned.octets())));
    }
    MimeMessage notice = new Notice("<" + queueId + "@" + hostname + ">");
    try {
      notice.setFrom(new InternetAddress("MAILER-DAEMON@" + hostname, "Mail Delivery Subsystem"));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("US-ASCII is always supported", e);
    }
    notice.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to.toString()));
    notice.setSubject(parts.subject());
    notice.setSentDate(new java.util.Date(nowMillis));
    // RFC 3834 5: an automatic reply; well-behaved responders do not answer it.
    notice.setHeader("Auto-Submitted", parts.autoSubmitted());
    notice.setContent(body);
    notice.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      notice.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /** A message whose Message-ID is ours (the notice's queue id), not Jakarta Mail's invention. */
  private static final class Notice extends MimeMessage {
    private final String messageId;

    Notice(String messageId) {
      super(SESSION);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
