package io.mailstream.loadtest;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Builds the test messages: RFC 5322 headers and a plain-text body, CRLF line endings, every line
 * at most 78 characters, exactly the requested number of octets.
 *
 * <p>The size counts the whole message as the client hands it over (headers, empty line, body),
 * before the end-of-data mark. Postfix's {@code smtp-source -l} counts only the body, so its messages
 * are about 150 octets larger for the same number. If the size is below the header size the body is
 * empty and the message is as large as its headers. No line starts with ".", so the message needs no
 * dot-stuffing and its size on the wire is exact.
 */
final class MessageFactory {
  /** RFC 5322 2.1.1: lines SHOULD be at most 78 characters, excluding the CRLF. */
  static final int MAX_LINE = 78;

  private static final int BODY_LINE = 72;
  private static final byte[] TEXT = bodyText();

  private final String from;
  private final List<String> recipients;
  private final int size;
  private final String runId;

  MessageFactory(String from, List<String> recipients, int size, String runId) {
    this.from = from;
    this.recipients = List.copyOf(recipients);
    this.size = size;
    this.runId = runId;
  }

  /** The message with sequence number {@code seq}; the number goes into Subject and Message-ID. */
  byte[] message(int seq) {
    byte[] head = headers(seq).getBytes(StandardCharsets.US_ASCII);
    int bodyLength = Math.max(0, size - head.length);
    byte[] out = new byte[head.length + bodyLength];
    System.arraycopy(head, 0, out, 0, head.length);
    fillBody(out, head.length, bodyLength, seq);
    return out;
  }

  /** The Message-ID of message {@code seq}, unique per run id: how a sink names what it got. */
  String messageId(int seq) {
    return "<" + seq + "." + runId + "@loadgen.mailstream.test>";
  }

  private String headers(int seq) {
    StringBuilder h = new StringBuilder(256 + 32 * recipients.size());
    h.append("Date: ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()))
        .append("\r\n");
    h.append("From: <").append(from).append(">\r\n");
    // RFC 5322 2.2.3: one recipient per folded line keeps the header within the line limit.
    h.append("To: ");
    for (int i = 0; i < recipients.size(); i++) {
      h.append(i == 0 ? "" : ",\r\n ").append('<').append(recipients.get(i)).append('>');
    }
    h.append("\r\n");
    h.append("Subject: Mailstream load test message ").append(seq).append("\r\n");
    h.append("Message-ID: ").append(messageId(seq)).append("\r\n");
    h.append("MIME-Version: 1.0\r\n");
    h.append("Content-Type: text/plain; charset=us-ascii\r\n");
    h.append("Content-Transfer-Encoding: 7bit\r\n");
    h.append("\r\n");
    return h.toString();
  }

  /**
   * Fills {@code length} octets with lines of {@value #BODY_LINE} characters plus CRLF. A remainder
   * of one octet cannot be a line of its own, so the line before it gives up one character.
   */
  private static void fillBody(byte[] out, int at, int length, int seq) {
    int full = BODY_LINE + 2;
    int lines = length / full;
    int rest = length % full;
    int textAt = Math.floorMod(seq * 31, TEXT.length - full);
    for (int i = 0; i < lines; i++) {
      int chars = (rest == 1 && i == lines - 1) ? BODY_LINE - 1 : BODY_LINE;
      at = line(out, at, chars, textAt);
      textAt = (textAt + 7 * BODY_LINE) % (TEXT.length - full);
    }
    if (rest == 1 && lines > 0) {
      line(out, at, 0, 0);
    } else if (rest >= 2) {
      line(out, at, rest - 2, textAt);
    }
  }

  private static int line(byte[] out, int at, int chars, int textAt) {
    System.arraycopy(TEXT, textAt, out, at, chars);
    out[at + chars] = '\r';
    out[at + chars + 1] = '\n';
    return at + chars + 2;
  }

  // Plain words without full stops: no line can start with "." whatever the cut.
  private static byte[] bodyText() {
    String words =
        "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt"
            + " ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation"
            + " ullamco laboris nisi ut aliquip ex ea commodo consequat duis aute irure dolor in"
            + " reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur"
            + " excepteur sint occaecat cupidatat non proident sunt in culpa qui officia deserunt"
            + " mollit anim id est laborum ";
    return words.repeat(16).getBytes(StandardCharsets.US_ASCII);
  }
}
