package io.mailstream.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads CRLF-terminated lines from a socket without creating a String per line.
 *
 * <p>Both tools use it: the sink reads message bodies through it at full speed (a line is only
 * compared with "."), and the generator reads reply lines. A bare LF also ends a line; the load
 * tools measure throughput, they do not police line endings.
 */
final class LineReader {
  // Far above RFC 5321 4.5.3.1.6 (1000 octets per text line): a peer sending longer lines should
  // still be counted, but an endless line must not exhaust the heap.
  static final int MAX_LINE = 1 << 20;

  private final InputStream in;
  private final byte[] buf = new byte[16 * 1024];
  private int pos;
  private int lim;
  private byte[] line = new byte[1024];
  private int len;

  LineReader(InputStream in) {
    this.in = in;
  }

  /** Reads the next line; false at end of stream (a partial last line is dropped). */
  boolean next() throws IOException {
    len = 0;
    while (true) {
      if (pos == lim && !fill()) {
        return false;
      }
      int i = pos;
      while (i < lim && buf[i] != '\n') {
        i++;
      }
      append(pos, i - pos);
      if (i < lim) {
        pos = i + 1;
        if (len > 0 && line[len - 1] == '\r') {
          len--;
        }
        return true;
      }
      pos = lim;
    }
  }

  /** Length of the current line without its terminator. */
  int length() {
    return len;
  }

  /** True if the current line is the end-of-data mark "." (RFC 5321 4.1.1.4). */
  boolean isDot() {
    return len == 1 && line[0] == '.';
  }

  /** The current line as text; SMTP commands and replies are ASCII. */
  String text() {
    return new String(line, 0, len, StandardCharsets.ISO_8859_1);
  }

  /** True if more input is already buffered, so a reply may wait for the next one (pipelining). */
  boolean hasBuffered() {
    return pos < lim;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  private void append(int from, int count) throws IOException {
    if (len + count > MAX_LINE) {
      throw new IOException("line longer than " + MAX_LINE + " octets");
    }
    if (len + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, len + count));
    }
    System.arraycopy(buf, from, line, len, count);
    len += count;
  }
}
