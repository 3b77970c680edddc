package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import java.time.ZonedDateTime;

/**
 * What sendmail adds to mail a local user submits when it lacks them, so that a program speaking
 * SMTP to {@code sendmail -bs} gets the header a {@code sendmail -t} message gets from the command:
 * Date (the time of receipt, in the node's zone), From (the envelope sender; for {@code <>}, the
 * submitting user at $j) and Message-ID ({@code <yyyyMMddHHmmss.queueid@$j>}, sendmail's
 * {@code <$t.$i@$j>}: unique because the queue id is). They travel with the trace field in the
 * event, in sendmail's order below {@code Received:}, so the stored body stays what the client
 * sent; the router masquerades the added From as it does a From in the body.
 *
 * @param fields the fields to add, CRLF terminated; empty when the message has all three
 * @param messageId the Message-ID added, or null when the message has one
 * @param separator the empty line to write after the added fields when the body has no header
 *     section (its first line is text), else empty
 */
record MissingFields(String fields, String messageId, String separator) {
  /** Nothing added: mail over TCP, passed on as sent. */
  static final MissingFields NONE = new MissingFields("", null, "");

  /**
   * The fields {@code found} lacks.
   *
   * @param sender the envelope sender; a bare local part is qualified with {@code hostname}
   * @param user the submitting user, from the socket's peer credentials
   * @param hostname this node's name, sendmail's $j
   */
  static MissingFields of(OriginatorFields found, MailAddress sender, String user, String hostname, String queueId,
      ZonedDateTime when) {
    StringBuilder f = new StringBuilder(160);
    if (!found.hasDate()) {
      f.append("Date: ").append(ReceivedHeader.date(when)).append("\r\n");
    }
    if (!found.hasFrom()) {
      f.append("From: ").append(from(sender, user, hostname)).append("\r\n");
    }
    String messageId = null;
    if (!found.hasMessageId()) {
      messageId = "<" + stamp(when) + "." + queueId + "@" + hostname + ">";
      f.append("Message-ID: ").append(messageId).append("\r\n");
    }
    return new MissingFields(f.toString(), messageId, found.headerless() ? "\r\n" : "");
  }

  /** The Message-ID the event records: the one added, else the message's own ({@code own}). */
  String messageIdOr(String own) {
    return messageId != null ? messageId : own;
  }

  // sendmail's From for local mail is the sender ($g) qualified with $j; a bounce (<>) has none to
  // give, so the user whose program sent it stands in.
  private static String from(MailAddress sender, String user, String hostname) {
    if (sender == null || sender.isNullSender()) {
      return user + "@" + hostname;
    }
    return sender.domain() == null ? sender.localPart() + "@" + hostname : sender.toString();
  }

  private static String stamp(ZonedDateTime t) {
    return t.getYear() + two(t.getMonthValue()) + two(t.getDayOfMonth()) + two(t.getHour()) + two(t.getMinute())
        + two(t.getSecond());
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
