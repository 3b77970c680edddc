package io.mailstream.delivery.local;

import java.util.Arrays;

/**
 * Turns the CRLF line ends of a stored message into the LF that Maildir readers expect (a Maildir
 * message is a Unix file, as qmail, Postfix's virtual(8) and Dovecot write it). Stateful across
 * chunks, since a chunk may end between CR and LF. A CR not followed by LF is kept.
 */
final class UnixLineEnds {
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private boolean pendingCr;

  byte[] convert(byte[] in, int offset, int length) {
    byte[] out = new byte[length + 1];
    int n = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = in[i];
      if (pendingCr) {
        pendingCr = false;
        if (b != LF) {
          out[n++] = CR;
        }
      }
      if (b == CR) {
        pendingCr = true;
      } else {
        out[n++] = b;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The CR held back at the end of the last chunk, if any. */
  byte[] finish() {
    boolean cr = pendingCr;
    pendingCr = false;
    return cr ? new byte[] {CR} : new byte[0];
  }
}
