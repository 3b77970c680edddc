package io.mailstream.ingress.session;

/**
 * Reads the header section of a locally submitted body as it streams past, to tell which of the
 * fields sendmail adds to local mail when missing (Date, From, Message-ID) it already has. Only the
 * first octets of each line are kept (enough for the longest of these names), and it stops at the
 * first empty line, so its cost does not grow with the message and the body is never held twice.
 * Sessions over TCP do not use it: their messages are passed on as sent.
 *
 * <p>Names are compared without regard to case, a folded continuation line (RFC 5322 2.2.3) is
 * never taken for a field, and white space between a name and its colon is allowed (RFC 5322 4.5,
 * obsolete syntax). Lines end at LF, with or without CR, as in {@link HeaderScanner}; the session
 * refuses a bare LF anyway. A body whose first line is neither a field nor empty has no header
 * section at all ({@link #headerless}): the fields added must then be followed by the empty line
 * that separates them from its text, as sendmail writes it.
 */
public final class OriginatorFields {
  // The longest name looked for, "message-id", is 10 octets.
  private static final int KEPT = 10;

  // Where the current line is in the grammar of a field's start (RFC 5322 2.2): its name of
  // printable characters but colon, optional white space (obsolete syntax, 4.5), the colon.
  private enum Start { NAME, SPACE, FIELD, TEXT }

  private final byte[] name = new byte[KEPT];
  private int nameLength;
  private Start state = Start.NAME;
  private boolean lineStarted;
  private boolean firstLine = true;
  private boolean inHeader = true;
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
      return inHeader;
    }
    if (b == '\r') {
      return true; // part of the line end (a bare CR is the session's to refuse)
    }
    lineStarted = true;
    switch (state) {
      case NAME -> {
        if (b == ':') {
          state = nameLength > 0 ? Start.FIELD : Start.TEXT;
        } else if (b == ' ' || b == '\t') {
          state = nameLength > 0 ? Start.SPACE : Start.TEXT; // a folded line starts with white space
        } else if (b < 33 || b > 126) {
          state = Start.TEXT;
        } else if (nameLength < KEPT) {
          name[nameLength++] = b;
        } else {
          nameLength = KEPT + 1; // longer than any name looked for
        }
      }
      case SPACE -> {
        if (b == ':') {
          state = Start.FIELD;
        } else if (b != ' ' && b != '\t') {
          state = Start.TEXT;
        }
      }
      default -> {
        // The rest of the line says nothing more about its start.
      }
    }
    return true;
  }

  /** Feeds a range of octets. */
  public void update(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length && inHeader; i++) {
      update(bytes[i]);
    }
  }

  /** Whether the header section is still being read. */
  public boolean inHeader() {
    return inHeader;
  }

  /** The body ended: takes in a last header line that had no line end. */
  public OriginatorFields finish() {
    if (inHeader && lineStarted) {
      endOfLine();
    }
    inHeader = false;
    return this;
  }

  /** Whether the header section has a Date field. */
  public boolean hasDate() {
    return date;
  }

  /** Whether the header section has a From field. */
  public boolean hasFrom() {
    return from;
  }

  /** Whether the header section has a Message-ID field (even an empty one: it is not added twice). */
  public boolean hasMessageId() {
    return messageId;
  }

  /** Whether the body starts with text rather than a header field or the empty line. */
  public boolean headerless() {
    return headerless;
  }

  private void endOfLine() {
    boolean empty = !lineStarted;
    boolean field = state == Start.FIELD;
    boolean first = firstLine;
    int length = nameLength;
    lineStarted = false;
    nameLength = 0;
    state = Start.NAME;
    firstLine = false;
    if (empty) {
      inHeader = false; // RFC 5322 2.1: the header section ends at the first empty line
      return;
    }
    if (!field) {
      // A folded line continues the field before it; any other line names no field. One that
      // comes first means the body has no header section.
      if (first) {
        headerless = true;
        inHeader = false;
      }
      return;
    }
    date |= named("date", length);
    from |= named("from", length);
    messageId |= named("message-id", length);
  }

  private boolean named(String wanted, int length) {
    if (length != wanted.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (Character.toLowerCase((char) (name[i] & 0xFF)) != wanted.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
