package io.mailstream.ingress.session;

import java.nio.charset.StandardCharsets;

/**
 * Reads the header section of a body as it streams past, octet by octet, to count Received fields
 * (sendmail's MaxHopCount) and find the Message-ID. It keeps at most {@link #MAX_KEPT} octets of
 * one field and stops looking at the first empty line, so its cost does not grow with the body.
 *
 * <p>Lines end at LF, with or without CR: a looping message must be caught whatever its line ends.
 */
public final class HeaderScanner {
  // RFC 5322 2.1.1: 998 octets per line; a folded Message-ID rarely spans more than a few.
  static final int MAX_KEPT = 2048;

  private final byte[] line = new byte[MAX_KEPT];
  private int lineLength;
  private boolean inHeader = true;
  private int hops;
  private StringBuilder messageIdField;
  private boolean messageIdDone;

  /** Feeds one octet; returns whether later octets are still of interest. */
  public boolean update(byte b) {
    if (!inHeader) {
      return false;
    }
    if (b == '\n') {
      endOfLine();
    } else if (lineLength < MAX_KEPT) {
      line[lineLength++] = b;
    }
    return inHeader;
  }

  /** Feeds a range of octets. */
  public void update(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length && inHeader; i++) {
      update(bytes[i]);
    }
  }

  public boolean inHeader() {
    return inHeader;
  }

  /** Received fields seen so far; complete after {@link #finish}. */
  public int hops() {
    return hops;
  }

  /** The body ended: takes in a last header line that had no line end. */
  public void finish() {
    if (inHeader && lineLength > 0) {
      endOfLine();
    }
    finishMessageId();
  }

  /** The Message-ID value, unfolded and trimmed, or null; complete after {@link #finish}. */
  public String messageId() {
    if (messageIdField == null) {
      return null;
    }
    String value = messageIdField.toString().strip();
    int open = value.indexOf('<');
    int close = value.indexOf('>', open + 1);
    if (open >= 0 && close > open) {
      value = value.substring(open, close + 1);
    }
    return value.isEmpty() ? null : value;
  }

  private void endOfLine() {
    int length = lineLength;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    lineLength = 0;
    if (length == 0) {
      // RFC 5322 2.1: the header section ends at the first empty line.
      finishMessageId();
      inHeader = false;
      return;
    }
    boolean continuation = line[0] == ' ' || line[0] == '\t';
    if (continuation) {
      if (messageIdField != null && !messageIdDone) {
        messageIdField.append(' ').append(text(0, length));
      }
      return;
    }
    finishMessageId();
    if (startsWith("received:", length)) {
      hops++;
    } else if (messageIdField == null && startsWith("message-id:", length)) {
      messageIdField = new StringBuilder(text(11, length));
    }
  }

  private void finishMessageId() {
    if (messageIdField != null) {
      messageIdDone = true;
    }
  }

  private boolean startsWith(String name, int length) {
    if (length < name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.toLowerCase((char) (line[i] & 0xFF)) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String text(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.UTF_8);
  }
}
