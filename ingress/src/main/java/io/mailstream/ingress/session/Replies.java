package io.mailstream.ingress.session;

import static io.mailstream.core.smtp.EnhancedStatus.X_2_0_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_2_1_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_2_1_5;
import static io.mailstream.core.smtp.EnhancedStatus.X_2_5_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_4_3_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_4_3_1;
import static io.mailstream.core.smtp.EnhancedStatus.X_4_4_2;
import static io.mailstream.core.smtp.EnhancedStatus.X_4_5_3;
import static io.mailstream.core.smtp.EnhancedStatus.X_4_7_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_1_3;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_1_7;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_6_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_3_4;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_4_6;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_5_1;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_5_2;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_5_4;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_7_1;

import io.mailstream.core.smtp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * Every reply the ingress sends, in one place. Codes follow RFC 5321 4.2.2 and 4.3.2; enhanced
 * status codes follow RFC 3463 and are stripped by the session for clients that said HELO.
 */
public final class Replies {
  private Replies() {}

  // Greeting and goodbye.

  /** The 220 greeting: {@code smtp.banner} with $j replaced (confSMTP_LOGIN_MSG). */
  public static Reply banner(String text) {
    return Reply.of(220, null, text);
  }

  public static Reply bye() {
    return Reply.ok(221, X_2_0_0, "Bye").thenClose();
  }

  /** RFC 5321 4.5.3.2.7: the server waits at least 5 minutes for the next command, then gives up. */
  /** Refuses a new session while the queue cannot be reached (RFC 5321 3.8: 421 at connect). */
  public static Reply queueUnreachable(String hostname) {
    return Reply.temp(421, X_4_3_0, hostname + " Service not available: mail queue unreachable, try again later")
        .thenClose();
  }

  /**
   * sendmail's srvrsmtp.c: a client refused at connect that keeps sending commands is cut off
   * after MAXBADCOMMANDS (25) of them.
   */
  public static Reply tooManyBadCommands(String hostname) {
    return Reply.temp(421, X_4_7_0, hostname + " Too many bad commands; closing connection").thenClose();
  }

  public static Reply timeout(String hostname) {
    return Reply.temp(421, X_4_4_2, hostname + " Error: timeout exceeded").thenClose();
  }

  // HELO and EHLO (RFC 5321 4.1.1.1).

  public static Reply helo(String hostname) {
    return Reply.of(250, null, hostname);
  }

  /** The EHLO reply without the optional extensions: RFC 2920, RFC 1870, RFC 6152 and RFC 2034. */
  public static Reply ehlo(String hostname, String clientHelo, long maxMessageSize) {
    return ehlo(hostname, clientHelo, EhloFeatures.of(maxMessageSize, Extensions.NONE));
  }

  /** The EHLO reply: the greeting line, then one line per keyword of {@code features}. */
  public static Reply ehlo(String hostname, String clientHelo, EhloFeatures features) {
    List<String> lines = new ArrayList<>();
    // RFC 5321 4.5.3.1.5: a reply line has at most 512 octets; a domain at most 255 (4.5.3.1.2).
    String name = Echo.atMost(clientHelo, 255);
    lines.add(hostname + " Hello " + name);
    lines.addAll(features.keywords());
    return Reply.multiline(250, null, lines);
  }

  public static Reply heloSyntax(String verb) {
    return Reply.perm(501, X_5_5_4, "Syntax: " + verb + " hostname");
  }

  // MAIL (RFC 5321 4.1.1.2).

  public static Reply senderOk() {
    return Reply.ok(250, X_2_1_0, "Ok");
  }

  public static Reply mailSyntax() {
    return Reply.perm(501, X_5_5_4, "Syntax: MAIL FROM:<address>");
  }

  public static Reply badSender(String why) {
    return Reply.perm(501, X_5_1_7, "Bad sender address syntax: " + why);
  }

  /** RFC 1870 6.1: the declared size already exceeds what the server accepts. */
  public static Reply messageTooBig() {
    return Reply.perm(552, X_5_3_4, "Message size exceeds fixed maximum message size");
  }

  public static Reply nestedMail() {
    return Reply.perm(503, X_5_5_1, "Error: nested MAIL command");
  }

  public static Reply needHelo() {
    return Reply.perm(503, X_5_5_1, "Error: send HELO/EHLO first");
  }

  // RCPT (RFC 5321 4.1.1.3).

  public static Reply recipientOk() {
    return Reply.ok(250, X_2_1_5, "Ok");
  }

  public static Reply rcptSyntax() {
    return Reply.perm(501, X_5_5_4, "Syntax: RCPT TO:<address>");
  }

  public static Reply badRecipient(String why) {
    return Reply.perm(501, X_5_1_3, "Bad recipient address syntax: " + why);
  }

  public static Reply relayDenied() {
    return Reply.perm(550, X_5_7_1, "Relaying denied");
  }

  // The access database (proto.m4).

  /** REJECT in the access database: proto.m4's {@code $@ 5.7.1 $: "550 Access denied"}. */
  public static Reply accessDenied() {
    return Reply.perm(550, X_5_7_1, "Access denied");
  }

  /** A table that cannot answer now: proto.m4's temporary failure of a map look-up. */
  public static Reply temporaryFailure() {
    return Reply.temp(451, X_4_3_0, "Temporary system failure. Please try again later.");
  }

  /** RFC 5321 4.5.3.1.10: 452 for recipients beyond the server's limit. */
  public static Reply tooManyRecipients() {
    return Reply.temp(452, X_4_5_3, "Too many recipients");
  }

  public static Reply needMail() {
    return Reply.perm(503, X_5_5_1, "Error: need MAIL command");
  }

  // ESMTP parameters (RFC 5321 4.1.1.11).

  public static Reply parameterSyntax(String what) {
    return Reply.perm(501, X_5_5_4, "Bad parameter syntax: " + what);
  }

  public static Reply unsupportedParameter(String keyword) {
    return Reply.perm(555, X_5_5_4, "Unsupported parameter " + keyword);
  }

  // DATA (RFC 5321 4.1.1.4).

  public static Reply startData() {
    return Reply.of(354, null, "End data with <CR><LF>.<CR><LF>");
  }

  /** RFC 5321 3.3: 554 when no RCPT was accepted; RFC 2920 3.1 makes it the pipelining-safe reply. */
  public static Reply noValidRecipients() {
    return Reply.perm(554, X_5_5_1, "Error: no valid recipients");
  }

  public static Reply dataSyntax() {
    return Reply.perm(501, X_5_5_4, "Syntax: DATA");
  }

  public static Reply messageAccepted(String queueId) {
    return Reply.ok(250, X_2_0_0, queueId + " Message accepted for delivery");
  }

  /** A stage after the ingress cannot run (see {@link StageHealth}): keep the mail and try later. */
  public static Reply stagesDown() {
    return Reply.temp(451, X_4_3_0, "Error: mail system not running, try again later");
  }

  /**
   * RFC 5321 4.2.2 and RFC 3463 3.4: no room for the message now (the data directory is below
   * {@code smtp.min-free-space}); the client keeps it and tries later. sendmail says
   * "452 4.4.5 Insufficient disk space; try again later" here; 4.3.1 is RFC 3463's code for a full
   * mail system.
   */
  public static Reply insufficientStorage() {
    return Reply.temp(452, X_4_3_1, "Insufficient system storage");
  }

  public static Reply queueUnavailable() {
    return Reply.temp(451, X_4_3_0, "Error: queue unavailable, try again later");
  }

  /** RFC 5321 2.3.8: CR and LF only as CRLF; refused so no lenient next hop can misread it. */
  public static Reply badLineEnd(String what) {
    return Reply.perm(550, X_5_6_0, "Message refused: " + what + " in the data; only CRLF ends a line");
  }

  public static Reply tooManyHops() {
    return Reply.perm(554, X_5_4_6, "Too many hops");
  }

  // Other verbs (RFC 5321 4.1.1.5 to 4.1.1.10).

  public static Reply ok() {
    return Reply.ok(250, X_2_0_0, "Ok");
  }

  public static Reply syntax(String usage) {
    return Reply.perm(501, X_5_5_4, "Syntax: " + usage);
  }

  public static Reply cannotVrfy() {
    return Reply.ok(252, X_2_5_0, "Cannot VRFY user, but will accept message and attempt delivery");
  }

  public static Reply help() {
    return Reply.ok(
        214, X_2_0_0, "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP; see RFC 5321");
  }

  public static Reply unrecognized() {
    return Reply.perm(500, X_5_5_1, "Error: command unrecognized");
  }

  public static Reply notImplemented() {
    return Reply.perm(502, X_5_5_1, "Error: command not implemented");
  }

  public static Reply badCommandLine() {
    return Reply.perm(500, X_5_5_2, "Error: bad syntax");
  }

  /** RFC 5321 4.5.3.1.4 and 4.2.2: a command line over 512 octets. */
  public static Reply lineTooLong() {
    return Reply.perm(500, X_5_5_2, "Line too long");
  }
}
