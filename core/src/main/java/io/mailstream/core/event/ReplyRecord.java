package io.mailstream.core.event;

import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import java.util.List;

/**
 * An SMTP reply as events store it: code, enhanced status text (may be null) and the text lines.
 * Kept apart from {@link Reply} so that events can hold replies that Mailstream would never build
 * itself, such as a remote {@code 550} without an enhanced status.
 */
public record ReplyRecord(int code, String status, List<String> lines) {

  public ReplyRecord {
    lines = List.copyOf(lines);
  }

  public static ReplyRecord of(Reply reply) {
    EnhancedStatus s = reply.status();
    return new ReplyRecord(reply.code(), s == null ? null : s.toString(), reply.lines());
  }

  /** The DSN status: the enhanced code when given, otherwise derived from the reply class. */
  public String dsn() {
    if (status != null) {
      return status;
    }
    return (code / 100) + ".0.0";
  }

  public String text() {
    return String.join(" ", lines);
  }

  /** As sendmail logs a remote reply in {@code stat=}: {@code 550 5.1.1 User unknown}. */
  @Override
  public String toString() {
    return code + (status == null ? "" : " " + status) + " " + text();
  }
}
