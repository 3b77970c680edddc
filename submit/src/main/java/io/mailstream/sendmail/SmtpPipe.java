package io.mailstream.sendmail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code -bs}: an SMTP session on standard input and output, for programs that speak SMTP to a
 * local sendmail (Perl's Mail::Mailer, some PHP libraries, {@code inetd}-style wrappers). It is
 * passed to the node's local socket as it is, so it is the node's own session with the user's
 * peer credentials, except that a line ended by a bare LF is passed on ended by CRLF, as sendmail
 * reads it. The header fields sendmail adds to local mail (Date, Message-ID, From) are the node's
 * to add here, since this command never sees the message as such: the node adds them to whatever
 * arrives on its socket without them. The command ends when either side closes.
 */
final class SmtpPipe {
  private SmtpPipe() {}

  /**
   * Runs the session; when the node does not answer, the client gets sendmail's {@code 421} and
   * the command EX_TEMPFAIL.
   */
  static int run(Node node, InputStream stdin, OutputStream stdout) throws IOException {
    NodeConnection c;
    try {
      c = NodeConnection.open(node.socket(), null);
    } catch (IOException e) {
      stdout.write(("421 4.3.0 " + node.hostname() + " Mailstream is not running, try again later\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      stdout.flush();
      return Sysexits.EX_TEMPFAIL;
    }
    Thread replies = new Thread(() -> copy(c.input(), stdout), "replies");
    replies.setDaemon(true);
    replies.start();
    byte[] buf = new byte[65536];
    byte[] out = new byte[2 * buf.length];
    boolean cr = false;
    int n;
    try {
      while (replies.isAlive() && (n = stdin.read(buf)) > 0) {
        int len = 0;
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n' && !cr) {
            out[len++] = '\r';
          }
          out[len++] = b;
          cr = b == '\r';
        }
        c.write(out, len);
      }
      // The client's input ended: tell the node, which answers what is pending and closes.
      c.shutdownOutput();
    } catch (IOException e) {
      // The node closed its side (after QUIT, usually): the session is over.
    }
    try {
      replies.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    c.close();
    return Sysexits.EX_OK;
  }

  private static void copy(InputStream from, OutputStream to) {
    byte[] buf = new byte[8192];
    int n;
    try {
      while ((n = from.read(buf)) > 0) {
        to.write(buf, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // The session is over either way.
    }
  }
}
