package io.mailstream.ingress.server;

import io.netty.buffer.ByteBuf;

/**
 * Watches the lines of a message body as it streams past, in pieces: how long the longest one is
 * (RFC 5321 4.5.3.1.6 counts a text line with its CRLF; only lengths are kept, so a line of any
 * length costs no memory), and the bytes that SMTP smuggling (CVE-2023-51764 and kin) relies on: a
 * bare LF, a bare CR or a NUL. RFC 5321 2.3.8 allows CR and LF in the data only together as CRLF; a
 * next hop more lenient than Mailstream could read a bare LF followed by a dot as the end of the
 * data, and so take the rest as a second, forged message. Mailstream refuses such messages rather
 * than pass them on (as Postfix's smtpd_forbid_bare_newline=reject does). State carries across
 * pieces, since a CR may end one piece and its LF start the next.
 *
 * <p>Every octet of every body passes here, so the common octet (none of the control characters
 * 0-15) costs one test and the loop keeps its state in locals.
 */
final class BodyLines {
  private static final int SCRATCH = 8 * 1024;

  private boolean pendingCr;
  private String defect;
  private long scanned;
  private long lineStart;
  private long longest;
  private byte[] scratch;

  /** Looks at {@code octets[from..to)}, the next octets of the body. */
  void scan(byte[] octets, int from, int to) {
    boolean cr = pendingCr;
    long start = lineStart;
    long max = longest;
    long base = scanned - from;
    for (int i = from; i < to; i++) {
      byte b = octets[i];
      if ((b & 0xF0) != 0 && !cr) {
        continue;
      }
      if (cr && b != '\n') {
        note("bare <CR>");
      }
      if (b == '\n') {
        if (!cr) {
          note("bare <LF>");
        }
        long end = base + i + 1;
        max = Math.max(max, end - start);
        start = end;
      } else if (b == 0) {
        note("NUL");
      }
      cr = b == '\r';
    }
    pendingCr = cr;
    lineStart = start;
    longest = max;
    scanned += to - from;
  }

  /** Looks at the readable octets of {@code data}, the next of the body; does not move its reader index. */
  void scan(ByteBuf data) {
    int index = data.readerIndex();
    int end = data.writerIndex();
    if (data.hasArray()) {
      scan(data.array(), data.arrayOffset() + index, data.arrayOffset() + end);
      return;
    }
    if (scratch == null) {
      scratch = new byte[SCRATCH];
    }
    while (index < end) {
      int n = Math.min(SCRATCH, end - index);
      data.getBytes(index, scratch, 0, n);
      scan(scratch, 0, n);
      index += n;
    }
  }

  /** Octets of the longest line so far with its line end; a last line without one counts too. */
  long longestLine() {
    return Math.max(longest, scanned - lineStart);
  }

  /** The first defect seen, or null when the body used only CRLF line ends and no NUL. */
  String finish() {
    if (pendingCr) {
      note("bare <CR>");
    }
    return defect;
  }

  private void note(String what) {
    if (defect == null) {
      defect = what;
    }
  }
}
