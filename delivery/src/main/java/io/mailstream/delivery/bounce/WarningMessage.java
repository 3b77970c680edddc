package io.mailstream.delivery.bounce;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.publish.BounceNotifier.Delay;
import jakarta.mail.MessagingException;
import java.time.Duration;

/**
 * A delay warning (sendmail's Timeout.queuewarn notice): the same multipart/report as a failure
 * notice ({@link BounceMessage}), with sendmail's subject and warning text ({@link WarningText}),
 * {@code Action: delayed} in the report and, as sendmail does for warnings, only the original's
 * header section returned.
 */
final class WarningMessage {
  private WarningMessage() {}

  /** sendmail's subject: {@code Warning: could not send message for past 4 hours}. */
  static String subject(Duration warnAfter) {
    return "Warning: could not send message for past " + Intervals.words(warnAfter);
  }

  /**
   * The warning as octets with CRLF line ends, ready to be queued like received mail.
   *
   * @param headers the original's header section, or null when it could not be read
   * @param nowMillis when the attempt that deferred the recipients was recorded
   */
  static byte[] build(String hostname, String queueId, MailAddress to, MessageAccepted original, Delay delay,
      ReturnedContent headers, long nowMillis) throws MessagingException {
    if (headers != null && !headers.headersOnly()) {
      throw new IllegalArgumentException("a warning returns the header section only");
    }
    BounceMessage.Parts parts = new BounceMessage.Parts(subject(delay.warnAfter()), "auto-replied (warning)",
        WarningText.of(original, delay),
        StatusReport.delayed(hostname, original, delay.recipients(), delay.lifetime(), nowMillis));
    return BounceMessage.assemble(hostname, queueId, to, parts, headers, nowMillis);
  }
}
