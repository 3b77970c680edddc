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
    // Stored bodies use CRLF and rarely start a line with a dot: find the line ends, look at the
    // octets around each, and copy the runs between the few places that change in bulk.
    int end = offset + length;
    Output out = new Output(length);
    int run = offset;
    int i = offset;
    while (i < end) {
      if (atLineStart) {
        atLineStart = false;
        if (in[i] == DOT) {
          out.append(in, run, i - run);
          out.append(DOT);
          run = i; // the dot itself goes out with the next run
        }
      }
      int lf = indexOfLf(in, i, end);
      if (lf < 0) {
        afterCr = in[end - 1] == CR;
        break;
      }
      boolean crBefore = lf > i ? in[lf - 1] == CR : afterCr;
      if (!crBefore) {
        out.append(in, run, lf - run);
        out.append(CR);
        run = lf;
      }
      atLineStart = true;
      afterCr = false;
      i = lf + 1;
    }
    out.append(in, run, end - run);
    return out.bytes();
  }

  private static int indexOfLf(byte[] in, int from, int end) {
    for (int i = from; i < end; i++) {
      if (in[i] == LF) {
        return i;
      }
    }
    return -1;
  }

  /** A growing output buffer; most chunks come out as long as they went in. */
  private static final class Output {
    private byte[] bytes;
    private int size;

    Output(int expected) {
      bytes = new byte[expected + 16];
    }

    void append(byte b) {
      ensure(1);
      bytes[size++] = b;
    }

    void append(byte[] in, int from, int length) {
      ensure(length);
      System.arraycopy(in, from, bytes, size, length);
      size += length;
    }

    byte[] bytes() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
      if (bytes.length - size < more) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
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
