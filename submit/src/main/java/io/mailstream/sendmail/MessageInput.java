package io.mailstream.sendmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message from a program as sendmail's collect() does: lines end in LF or CRLF and are
 * stored with CRLF (RFC 5322; a message piped from a script is not a smuggling attempt, so a bare
 * LF is a line end, not the error it is over SMTP); a line holding only a dot ends the message
 * unless {@code -i} or {@code -oi} was given; a first line {@code From sender date} (a Unix mbox
 * separator, as mail programs pass on) is dropped; a last line without its line end gets one.
 */
final class MessageInput {
  private MessageInput() {}

  /** The message in {@code in}, CRLF line ends. */
  static byte[] read(InputStream in, boolean dotIsData) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    byte[] buf = new byte[65536];
    boolean first = true;
    int n;
    while ((n = in.read(buf)) > 0) {
      for (int i = 0; i < n; i++) {
        byte b = buf[i];
        if (b != '\n') {
          line.write(b);
          continue;
        }
        byte[] text = withoutCr(line);
        line.reset();
        if (!dotIsData && text.length == 1 && text[0] == '.') {
          return out.toByteArray();
        }
        if (!(first && isMboxSeparator(text))) {
          out.write(text);
          out.write('\r');
          out.write('\n');
        }
        first = false;
      }
    }
    if (line.size() > 0) {
      byte[] text = withoutCr(line);
      if ((dotIsData || text.length != 1 || text[0] != '.') && !(first && isMboxSeparator(text))) {
        out.write(text);
        out.write('\r');
        out.write('\n');
      }
    }
    return out.toByteArray();
  }

  private static byte[] withoutCr(ByteArrayOutputStream line) {
    byte[] text = line.toByteArray();
    if (text.length > 0 && text[text.length - 1] == '\r') {
      byte[] shorter = new byte[text.length - 1];
      System.arraycopy(text, 0, shorter, 0, shorter.length);
      return shorter;
    }
    return text;
  }

  private static boolean isMboxSeparator(byte[] text) {
    return text.length > 5 && text[0] == 'F' && text[1] == 'r' && text[2] == 'o' && text[3] == 'm' && text[4] == ' ';
  }
}
