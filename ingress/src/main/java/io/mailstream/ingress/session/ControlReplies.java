package io.mailstream.ingress.session;

import static io.mailstream.core.smtp.EnhancedStatus.X_4_3_2;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_0_0;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_5_1;
import static io.mailstream.core.smtp.EnhancedStatus.X_5_7_0;

import io.mailstream.core.smtp.Reply;

/**
 * The replies of sendmail's anti-abuse controls, worded as sendmail words them (srvrsmtp.c and
 * cf/m4/proto.m4) so that what operators grep for keeps matching: greet_pause, the connection
 * limits, and the privacy flags.
 */
public final class ControlReplies {
  private ControlReplies() {}

  // FEATURE(greet_pause): srvrsmtp.c greets a client that talked first with 554 and, as a "null
  // server", refuses everything but HELO, EHLO, NOOP, RSET and QUIT with "550 5.0.0 Command
  // rejected". RFC 5321 3.1 allows the 554 greeting; the client must still QUIT.

  /** The greeting instead of 220: srvrsmtp.c's {@code "554 <host> ESMTP not accepting messages"}. */
  public static Reply notAccepting(String hostname) {
    return Reply.of(554, null, hostname + " ESMTP not accepting messages");
  }

  /** What a null server answers to every command that could lead to a message. */
  public static Reply commandRejected() {
    return Reply.perm(550, X_5_0_0, "Command rejected");
  }

  // Connection limits. RFC 5321 3.8 and 4.2: 421 names the server and closes; X.3.2 is "system
  // not accepting network messages" (RFC 3463), as proto.m4's ConnControl and RateControl say.

  /** More connections in all than {@code smtp.max-connections} (confMAX_DAEMON_CHILDREN). */
  public static Reply tooManyConnections(String hostname) {
    return Reply.temp(421, X_4_3_2, hostname + " Too many connections, try again later").thenClose();
  }

  /** More open connections from one address than allowed: proto.m4's ConnControl wording. */
  public static Reply tooManyOpenConnections(String hostname) {
    return Reply.temp(421, X_4_3_2, hostname + " Too many open connections.").thenClose();
  }

  /** More connections from one address in a minute than allowed: proto.m4's RateControl wording. */
  public static Reply connectionRateExceeded(String hostname) {
    return Reply.temp(421, X_4_3_2, hostname + " Connection rate limit exceeded.").thenClose();
  }

  /**
   * The node is stopping (RFC 5321 3.8: a server shut down sends 421 before it closes): to a new
   * connection instead of the banner, and to a session once no transaction is in progress. X.3.2,
   * "system not accepting network messages", tells the client to come back later or elsewhere.
   */
  public static Reply shuttingDown(String hostname) {
    return Reply.temp(421, X_4_3_2, hostname + " Service shutting down, closing transmission channel").thenClose();
  }

  // Privacy flags (confPRIVACY_FLAGS), srvrsmtp.c.

  /** needmailhelo: MAIL before HELO or EHLO. */
  public static Reply politePeople() {
    return Reply.perm(503, X_5_0_0, "Polite people say HELO first");
  }

  /** needvrfyhelo and needexpnhelo: VRFY or EXPN before HELO or EHLO. */
  public static Reply introduceYourself() {
    return Reply.perm(503, X_5_0_0, "I demand that you introduce yourself first");
  }

  /** noexpn. */
  public static Reply expnRefused() {
    return Reply.perm(502, X_5_7_0, "Sorry, we do not allow this operation");
  }

  /** noverb. */
  public static Reply verbRefused() {
    return Reply.perm(502, X_5_7_0, "Verbose unavailable");
  }

  /** noetrn. */
  public static Reply etrnRefused() {
    return Reply.perm(502, X_5_7_0, "Command refused");
  }

  /**
   * VERB without noverb, ETRN without noetrn: Mailstream has neither a verbose delivery mode (the
   * delivery stage runs apart from the session) nor a way for a client to start a queue run.
   */
  public static Reply notOffered(String verb) {
    return Reply.perm(502, X_5_5_1, verb + " not implemented");
  }
}
