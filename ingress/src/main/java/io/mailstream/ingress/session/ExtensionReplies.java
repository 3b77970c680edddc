package io.mailstream.ingress.session;

import static io.mailstream.core.smtp.EnhancedStatus.X_2_0_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_5_1;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_5_2;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_5_4;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_6_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_6_7;

import io.mailstream.core.smtp.Reply;

/**
 * The replies of DSN, SMTPUTF8, CHUNKING and the line checks; beside {@link Replies}, which holds
 * those of RFC 5321 itself.
 */
public final class ExtensionReplies {
  private ExtensionReplies() {}

  /**
   * RFC 6531 3.5: a non-ASCII address in a transaction without SMTPUTF8 gets 553 and X.6.7 "Non-ASCII
   * addresses not permitted for that sender/recipient".
   */
  public static Reply nonAsciiSender() {
    return Reply.perm(553, X_5_6_7, "Non-ASCII addresses not permitted for that sender");
  }

  public static Reply nonAsciiRecipient() {
    return Reply.perm(553, X_5_6_7, "Non-ASCII addresses not permitted for that recipient");
  }

  /**
   * A malformed parameter, named with at most its first 64 characters: RFC 5321 4.5.3.1.5 allows
   * 512 octets in a reply line, and an ORCPT alone may have 500.
   */
  public static Reply badParameter(String what) {
    return Replies.parameterSyntax(what.length() <= 64 ? what : what.substring(0, 64) + "...");
  }

  /** RFC 3030 2: a chunk was read; the message goes on with the next BDAT. */
  public static Reply chunkReceived(long octets) {
    return Reply.ok(250, X_2_0_0, octets + " octets received");
  }

  /**
   * A BDAT whose size cannot be read: the chunk that follows cannot be told from commands, so
   * nothing after it can be trusted as one, and the connection closes.
   */
  public static Reply bdatUnframed() {
    return Reply.perm(501, X_5_5_4, "Syntax: BDAT size [LAST]; closing connection").thenClose();
  }

  public static Reply bdatSyntax() {
    return Reply.perm(501, X_5_5_4, "Syntax: BDAT size [LAST]");
  }

  /** RFC 3030 2: DATA and BDAT do not mix in one transaction. */
  public static Reply dataAfterBdat() {
    return Reply.perm(503, X_5_5_1, "Error: DATA not allowed after BDAT");
  }

  /** The envelope is complete once the body has started (RFC 3030 2). */
  public static Reply rcptAfterBdat() {
    return Reply.perm(503, X_5_5_1, "Error: RCPT not allowed after BDAT");
  }

  /**
   * RFC 5322 2.1.1 and RFC 5321 4.5.3.1.6: text lines of at most 1000 octets with their CRLF;
   * Mailstream takes lines up to {@code smtp.max-line-length} and refuses the message beyond,
   * rather than split a line and so change the message.
   */
  public static Reply textLineTooLong(int maxLineLength) {
    return Reply.perm(
        554, X_5_6_0, "Message refused: a line is longer than " + maxLineLength + " octets");
  }

  /**
   * A command line ended by a bare LF. There is no telling where the client meant the line to
   * end, so the connection closes, as Postfix does with smtpd_forbid_bare_newline=reject.
   */
  public static Reply bareLfInCommand(String hostname) {
    return Reply.perm(521, X_5_5_2, hostname + " Error: bare <LF> received").thenClose();
  }
}
