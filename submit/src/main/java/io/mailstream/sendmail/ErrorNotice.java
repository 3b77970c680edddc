package io.mailstream.sendmail;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The notice {@code -oem} mails back instead of printing (sendmail's ErrorMode=m), and that a
 * spooled message refused later gets, since nobody is there to read a printed error: from
 * MAILER-DAEMON, with the null sender so that it never causes another, the refusals, then the
 * original message's text.
 */
final class ErrorNotice {
  private ErrorNotice() {}

  /** The notice to {@code sender} about {@code failures} of {@code original}. */
  static byte[] build(String hostname, String sender, List<String> failures, byte[] original, ZonedDateTime now) {
    StringBuilder m = new StringBuilder(1024);
    m.append("From: Mail Delivery Subsystem <MAILER-DAEMON@").append(hostname).append(">\r\n");
    m.append("To: <").append(sender).append(">\r\n");
    m.append("Subject: Returned mail: see transcript for details\r\n");
    m.append("Auto-Submitted: auto-replied\r\n");
    m.append("\r\n");
    m.append("The original message was not accepted by ").append(hostname).append(".\r\n\r\n");
    m.append("   ----- The following addresses had permanent fatal errors -----\r\n");
    for (String f : failures) {
      m.append(f).append("\r\n");
    }
    m.append("\r\n   ----- Original message follows -----\r\n\r\n");
    byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
    LocalMessage notice = LocalMessage.of(concat(head, original));
    notice.complete("MAILER-DAEMON@" + hostname, null, hostname, now);
    return notice.bytes();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
