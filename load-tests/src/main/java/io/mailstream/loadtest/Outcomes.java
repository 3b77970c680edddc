package io.mailstream.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the client learned about each message of a run, for checking a relay under faults: a
 * message acknowledged with 2xx must be delivered, one refused must not be, and for some the client
 * cannot know (the connection was lost after the final dot, or a 4xx came after it, perhaps after
 * the relay had stored the message). Written one line per message: {@code <message-id> <OUTCOME>
 * <detail>}.
 */
final class Outcomes {
  /** The kinds of outcome, as the fault check groups them. */
  enum Kind {
    /** 2xx after the final dot: the relay promised delivery. */
    ACK,
    /** A 5xx at any step: the relay refused it for good, so it must never be delivered. */
    REFUSED_PERM,
    /** A 4xx before the final dot, or a failure before it: nothing complete was handed over. */
    NOT_HANDED_OVER,
    /** A 4xx after the final dot: the relay may have stored it before giving up on the wait. */
    TEMP_AFTER_DOT,
    /** The connection failed after the final dot, before the reply: the client cannot know. */
    LOST_AFTER_DOT,
    /** Never tried (the run ended first). */
    NOT_SENT
  }

  private final AtomicReferenceArray<String> lines;
  private final MessageFactory ids;

  Outcomes(int messages, MessageFactory ids) {
    this.lines = new AtomicReferenceArray<>(messages);
    this.ids = ids;
  }

  void record(int seq, Kind kind, String detail) {
    // The first outcome of a message stands (a failure while quitting does not change it).
    lines.compareAndSet(seq, null, ids.messageId(seq) + " " + kind + " " + detail.replace('\n', ' ').replace('\r', ' '));
  }

  void write(Path file) throws IOException {
    List<String> out = new ArrayList<>(lines.length());
    for (int i = 0; i < lines.length(); i++) {
      String l = lines.get(i);
      out.add(l != null ? l : ids.messageId(i) + " " + Kind.NOT_SENT + " -");
    }
    Files.write(file, out, StandardCharsets.US_ASCII);
  }
}
