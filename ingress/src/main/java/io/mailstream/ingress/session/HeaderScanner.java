package io.mailstream.ingress.session;

import java.nio.charset.StandardCharsets;

/**
 * Reads the header section of a body as it streams past, octet by octet, to count Received fields
 * (sendmail's MaxHopCount), find the Message-ID and note which of the fields sendmail adds to local
 * mail when missing (Date, From, Message-ID) the message has. It keeps at most {@link #MAX_KEPT}
 * octets of one line and stops looking at the first empty line, so its cost does not grow with the
 * body; field names are looked at once per line, when the line ends, never per octet.
 *
 * <p>Lines end at LF, with or without CR: a looping message must be caught whatever its line ends.
 * A folded continuation line (RFC 5322 2.2.3) is never taken for a field. Received and Message-ID
 * count only with the colon right after the name; for the fields sendmail adds, white space between
 * the name and its colon is allowed too (RFC 5322 4.5, obsolete syntax), so that a message that
 * has one in that form does not get a second.
 */
public final class HeaderScanner {
  // RFC 5322 2.1.1: 998 octets per line; a folded Message-ID rarely spans more than a few.
  static final int MAX_KEPT = 2048;

  private final byte[] line = new byte[MAX_KEPT];
  private int lineLength;
  private boolean inHeader = true;
  private boolean firstLine = true;
  private int hops;
  private StringBuilder messageIdField;
  private boolean messageIdDone;
  private boolean headerless;
  private boolean date;
  private boolean from;
  private boolean messageId;

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

  /**
   * Which of Date, From and Message-ID the header section has, and whether there is one at all;
   * complete after {@link #finish}. Only a local submission's session acts on it.
   */
  public OriginatorFields originatorFields() {
    return new OriginatorFields(date, from, messageId, headerless);
  }

  private void endOfLine() {
    int length = lineLength;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    lineLength = 0;
    boolean first = firstLine;
    firstLine = false;
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
      headerless |= first;
      return;
    }
    finishMessageId();
    int name = nameLength(length);
    if (name < length && line[name] == ':') {
      if (named("received", name)) {
        hops++;
      } else if (messageIdField == null && named("message-id", name)) {
        messageIdField = new StringBuilder(text(name + 1, length));
      }
    }
    noteOriginatorField(name, length, first);
  }

  // A body whose first line is neither a field nor empty has no header section: the fields added
  // must then be followed by the empty line that separates them from its text, as sendmail writes
  // it, and nothing further down is a field. Received fields are still counted there, as ever.
  private void noteOriginatorField(int name, int length, boolean first) {
    if (!isField(name, length)) {
      headerless |= first;
      return;
    }
    if (headerless) {
      return;
    }
    date |= named("date", name);
    from |= named("from", name);
    messageId |= named("message-id", name);
  }

  // RFC 5322 2.2: a field name is printable US-ASCII but colon; obsolete syntax (4.5) allows white
  // space before the colon. A line whose colon lies past the octets kept is no field: it would be
  // longer than RFC 5322 2.1.1 lets a line be.
  private boolean isField(int name, int length) {
    if (name == 0) {
      return false;
    }
    int i = name;
    while (i < length && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    return i < length && line[i] == ':';
  }

  // The octets at the start of the line that may form a field name.
  private int nameLength(int length) {
    int i = 0;
    while (i < length && line[i] > 32 && line[i] < 127 && line[i] != ':') {
      i++;
    }
    return i;
  }

  private void finishMessageId() {
    if (messageIdField != null) {
      messageIdDone = true;
    }
  }

  private boolean named(String wanted, int name) {
    if (name != wanted.length()) {
      return false;
    }
    for (int i = 0; i < name; i++) {
      int b = line[i];
      if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != wanted.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String text(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.UTF_8);
  }
}
