package io.mailstream.delivery.client;

import java.util.Arrays;

/**
 * Turns the stored message into the DATA content of RFC 5321 4.5.2: a line that starts with a dot
 * gets a second dot, so that the server can tell the body from the terminating {@code CRLF.CRLF}.
 *
 * <p>Stateful across chunks: a chunk may end between CR and LF or just before the dot, and the
 * decision still has to be right. One instance per message; not thread-safe.
 *
 * <p>A bare LF (one without CR) is sent as CRLF. RFC 5321 2.3.8 forbids bare LF on the wire, and
 * servers disagree on whether it ends a line, which is the root of SMTP smuggling; sendmail and
 * Postfix normalise it the same way. The ingress already refuses bare LF, so stored bodies are
 * sent byte for byte. A bare CR is passed on unchanged.
 */
public final class DotStuffer {
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte DOT = '.';

  private boolean atLineStart = true;
  private boolean afterCr;

  /** The stuffed form of {@code length} octets of {@code in} from {@code offset}. */
  public byte[] stuff(byte[] in, int offset, int length) {
    // At most one extra octet per input octet (a bare LF becomes CRLF, a dot becomes two).
    byte[] out = new byte[length + length / 2 + 2];
    int n = 0;
    for (int i = offset; i < offset + length; i++) {
      if (out.length - n < 2) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      byte b = in[i];
      if (b == LF) {
        if (!afterCr) {
          out[n++] = CR;
        }
        out[n++] = LF;
        atLineStart = true;
        afterCr = false;
        continue;
      }
      if (atLineStart && b == DOT) {
        out[n++] = DOT;
      }
      out[n++] = b;
      afterCr = b == CR;
      atLineStart = false;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * What must follow the last chunk so that the content ends with CRLF, after which Netty's
   * encoder writes the terminating {@code .CRLF}: nothing when the message already ends with a
   * line end (the stored case), otherwise the missing LF or CRLF.
   */
  public byte[] finish() {
    byte[] tail;
    if (atLineStart) {
      tail = new byte[0];
    } else if (afterCr) {
      tail = new byte[] {LF};
    } else {
      tail = new byte[] {CR, LF};
    }
    atLineStart = true;
    afterCr = false;
    return tail;
  }
}
