package io.mailstream.ingress.server;

/**
 * Watches a message body for the bytes that SMTP smuggling (CVE-2023-51764 and kin) relies on: a
 * bare LF, a bare CR or a NUL. RFC 5321 2.3.8 allows CR and LF in the data only together as CRLF;
 * a next hop more lenient than Mailstream could read a bare LF followed by a dot as the end of the
 * data, and so take the rest as a second, forged message. Mailstream refuses such messages rather
 * than pass them on (as Postfix's smtpd_forbid_bare_newline=reject does). Keeps its state across
 * pieces, since a CR may end one piece and its LF start the next.
 */
final class LineEndCheck {
  private boolean pendingCr;
  private String defect;

  /** Looks at one octet of the body, in order. */
  boolean update(byte b) {
    if (pendingCr && b != '\n') {
      note("bare <CR>");
    }
    if (b == '\n' && !pendingCr) {
      note("bare <LF>");
    } else if (b == 0) {
      note("NUL");
    }
    pendingCr = b == '\r';
    return true;
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
