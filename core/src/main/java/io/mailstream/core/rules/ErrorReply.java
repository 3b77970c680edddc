package io.mailstream.core.rules;

import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What sendmail's {@code error} mailer answers for a table entry such as {@code error:5.7.1:550 Go
 * away}: an SMTP reply code, an enhanced status code and a text. It is a {@link MailerRoute} (from
 * the mailertable), a {@link VirtualTarget} (from the virtusertable), the reason of an {@link
 * AliasExpansion.Failure} and the reply of an access database {@code ERROR:} entry.
 *
 * <p>The reply follows the error mailer (buildaddr in parseaddr.c), checked against sendmail
 * 8.17: a text that starts with a reply code keeps it, and an enhanced status after the code wins
 * over the one before the text ({@code error:5.1.1:550 5.2.2 x} is {@code 550 5.2.2 x}); without an
 * enhanced status the one before the text is used, else {@code X.0.0}; a text without a reply code
 * is {@code 553 5.3.0} whatever came before it ({@code error:5.7.1:go away} is {@code 553 5.3.0 go
 * away}).
 */
public record ErrorReply(int code, EnhancedStatus status, String text)
    implements MailerRoute, VirtualTarget {

  /** The two spellings of the part before the text, which differ between the tables. */
  enum Syntax {
    /**
     * Mailertable and the error mailer in general (MailerToTriple): {@code D.S.N:text}, {@code
     * keyword:text} or {@code text}.
     */
    MAILERTABLE,
    /**
     * Virtusertable: {@code D.S.N:text} or {@code keyword text}, where the first word is always a
     * keyword, so {@code error:550 text} loses its 550 exactly as in sendmail.
     */
    VIRTUSERTABLE
  }

  // sendmail's $- is one token: a word without white space or any of its operator characters.
  private static final String TOKEN = "[^\\s.:%@!^/\\[\\]+<>()\",;\\\\]++";
  private static final Pattern DSN_FIRST = Pattern.compile("(\\d+\\.\\d+\\.\\d+):(.+)", Pattern.DOTALL);
  private static final Pattern KEYWORD_COLON = Pattern.compile(TOKEN + ":(.+)", Pattern.DOTALL);
  private static final Pattern KEYWORD_SPACE = Pattern.compile(TOKEN + "\\s*(.+)", Pattern.DOTALL);
  // ISSMTPREPLY in sendmail.h: three digits, then a space or a dash ("error:5.1.1:550" alone is
  // 553 5.3.0 with the text "550" in sendmail 8.17).
  private static final Pattern REPLY = Pattern.compile("(\\d{3})[ -](.*)", Pattern.DOTALL);
  private static final Pattern ENHANCED = Pattern.compile("(\\d\\.\\d{1,3}\\.\\d{1,3})(?: (.*))?", Pattern.DOTALL);
  private static final EnhancedStatus X_5_3_0 = new EnhancedStatus(5, 3, 0);

  public ErrorReply {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("reply code must be 4xx or 5xx, got " + code);
    }
    if (status.klass() != code / 100) {
      throw new IllegalArgumentException("enhanced status " + status + " disagrees with reply code " + code);
    }
  }

  /**
   * Reads what follows {@code error:} in a table value.
   *
   * @throws IllegalArgumentException with a reason fit for {@code file:line: reason}
   */
  static ErrorReply parse(String rest, Syntax syntax) {
    String s = rest.strip();
    String dsn = null;
    String text = s;
    Matcher m = DSN_FIRST.matcher(s);
    if (m.matches()) {
      dsn = m.group(1);
      text = m.group(2);
    } else {
      Matcher k = (syntax == Syntax.MAILERTABLE ? KEYWORD_COLON : KEYWORD_SPACE).matcher(s);
      if (k.matches()) {
        // A keyword such as "nouser" sets sendmail's exit status only, never the reply.
        text = k.group(1);
      }
    }
    return fromText(dsn, text.strip());
  }

  /**
   * The reply for {@code text} as the error mailer gives it, with {@code dsn} (may be null) as the
   * enhanced status when the text has none of its own.
   */
  static ErrorReply fromText(String dsn, String text) {
    Matcher r = REPLY.matcher(text);
    if (!r.matches()) {
      return new ErrorReply(553, X_5_3_0, text);
    }
    int code = Integer.parseInt(r.group(1));
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("reply code must be 4xx or 5xx, got " + code);
    }
    String rest = r.group(2);
    EnhancedStatus status = null;
    Matcher e = ENHANCED.matcher(rest);
    if (e.matches()) {
      status = status(e.group(1));
      rest = e.group(2) == null ? "" : e.group(2);
    } else if (dsn != null) {
      status = status(dsn);
    }
    if (status == null) {
      status = new EnhancedStatus(code / 100, 0, 0);
    }
    return new ErrorReply(code, status, rest.strip());
  }

  private static EnhancedStatus status(String text) {
    EnhancedStatus s = EnhancedStatus.parse(text);
    if (s == null) {
      throw new IllegalArgumentException("bad enhanced status code '" + text + "'");
    }
    return s;
  }

  /** The reply to send for a recipient that ends here. */
  public Reply toReply() {
    return Reply.of(code, status, text.isEmpty() ? "Rejected" : text);
  }

  public boolean isTemporary() {
    return code < 500;
  }

  /** {@code error:550 5.7.1 Go away}, the form traces and tests print. */
  @Override
  public String toString() {
    return "error:" + code + " " + status + (text.isEmpty() ? "" : " " + text);
  }
}
