package io.mailstream.sendmail;

import java.util.List;

/**
 * One SMTP reply from the node (RFC 5321 4.2): its code and lines, and the sysexits status a
 * refusal means for the program that called sendmail.
 */
record Reply(int code, List<String> lines) {
  boolean isPositive() {
    return code >= 200 && code < 400;
  }

  boolean isTransient() {
    return code >= 400 && code < 500;
  }

  /** The reply as the node sent it, lines joined by "; ". */
  String text() {
    StringBuilder out = new StringBuilder();
    for (String l : lines) {
      out.append(out.length() == 0 ? "" : "; ").append(l.length() > 4 ? l.substring(4) : "");
    }
    return out.toString();
  }

  /** The last line, code included: what sendmail prints after "address...". */
  String last() {
    return lines.get(lines.size() - 1);
  }

  /**
   * The sysexits status for a refusal, by its enhanced status code (RFC 3463) where it has one:
   * 4xx is EX_TEMPFAIL; an unknown or bad mailbox (5.1.x) EX_NOUSER; a message refused for its
   * content or size (5.6.x, 5.3.4) EX_DATAERR; a policy refusal (5.7.x) EX_NOPERM; anything else
   * EX_UNAVAILABLE, as sendmail maps its mailers' replies.
   */
  int exitStatus() {
    if (isPositive()) {
      return Sysexits.EX_OK;
    }
    if (isTransient()) {
      return Sysexits.EX_TEMPFAIL;
    }
    String text = last().length() > 4 ? last().substring(4) : "";
    if (text.startsWith("5.1.")) {
      return Sysexits.EX_NOUSER;
    }
    if (text.startsWith("5.6.") || text.startsWith("5.3.4")) {
      return Sysexits.EX_DATAERR;
    }
    if (text.startsWith("5.7.")) {
      return Sysexits.EX_NOPERM;
    }
    return Sysexits.EX_UNAVAILABLE;
  }
}
