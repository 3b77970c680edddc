package io.mailstream.ops.queue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The trace a replayed copy carries of where it came from: a header field Mailstream prepends on
 * delivery, above its Received field, {@code X-Mailstream-Replay: 4fGhq2KqT1a0; by root at
 * relay.example; Sat, 5 Dec 2026 02:13:00 +0000}. It travels in the copy's {@code receivedHeader},
 * so the stored body stays the original's bytes and the event encoding is unchanged; the queue view
 * reads it back to tie the copy to its original (a recipient a copy delivered counts as delivered).
 */
final class ReplayTrace {
  static final String FIELD = "X-Mailstream-Replay: ";
  private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

  private ReplayTrace() {}

  /** The field for a copy of {@code original}, CRLF terminated. */
  static String field(String original, String user, String node, long atMillis) {
    String date = RFC5322.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(atMillis), ZoneOffset.UTC));
    return FIELD + original + "; by " + user + " at " + node + "; " + date + "\r\n";
  }

  /** The original's queue id when {@code receivedHeader} starts with a replay trace. */
  static Optional<String> originalOf(String receivedHeader) {
    if (receivedHeader == null || !receivedHeader.startsWith(FIELD)) {
      return Optional.empty();
    }
    int end = receivedHeader.indexOf(';', FIELD.length());
    return end < 0 ? Optional.empty() : Optional.of(receivedHeader.substring(FIELD.length(), end).strip());
  }
}
