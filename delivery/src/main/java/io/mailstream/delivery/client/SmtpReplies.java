package io.mailstream.delivery.client;

import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import io.netty.handler.codec.smtp.SmtpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Replies as the delivery stage records them: those read from a server, and those Mailstream makes
 * up when the server never answered (refused connection, time-out, dropped connection).
 */
final class SmtpReplies {
  private SmtpReplies() {}

  /**
   * Reads a server reply. The enhanced status code (RFC 2034 3) is taken from the start of the
   * first line when its class agrees with the reply code, and removed from every line that repeats
   * it, so that {@link ReplyRecord#toString()} prints it once.
   */
  static ReplyRecord fromServer(SmtpResponse response) {
    List<String> lines = new ArrayList<>();
    for (CharSequence d : response.details()) {
      lines.add(d.toString());
    }
    if (lines.isEmpty()) {
      lines.add("");
    }
    String status = statusOf(response.code(), lines.get(0));
    if (status != null) {
      String prefix = status + " ";
      lines.replaceAll(l -> l.startsWith(prefix) ? l.substring(prefix.length()) : l);
      lines.replaceAll(l -> l.equals(status) ? "" : l);
    }
    return new ReplyRecord(response.code(), status, lines);
  }

  private static String statusOf(int code, String firstLine) {
    int sp = firstLine.indexOf(' ');
    String token = sp < 0 ? firstLine : firstLine.substring(0, sp);
    EnhancedStatus s = EnhancedStatus.parse(token);
    return s != null && s.klass() == code / 100 ? s.toString() : null;
  }

  /** No connection could be made (RFC 3463 X.4.1: no answer from host). */
  static ReplyRecord noAnswer(String text) {
    return ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_4_1, text));
  }

  /**
   * The connection broke or timed out during the transaction (RFC 3463 X.4.2: bad connection,
   * which covers time-outs after the connection was established).
   */
  static ReplyRecord badConnection(String text) {
    return ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_4_2, text));
  }

  /** Mailstream itself failed, e.g. the stored body could not be read (RFC 3463 X.3.0). */
  static ReplyRecord localError(String text) {
    return ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_3_0, text));
  }

  /** The message is larger than the server's SIZE limit (RFC 1870 6.1, RFC 3463 X.3.4). */
  static ReplyRecord tooBig(long size, long limit) {
    return ReplyRecord.of(
        Reply.perm(
            552,
            EnhancedStatus.X_5_3_4,
            "Message size " + size + " exceeds the limit of " + limit + " the server announced"));
  }
}
