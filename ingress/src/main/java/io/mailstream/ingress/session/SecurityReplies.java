package io.mailstream.ingress.session;

import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;

/** The replies of STARTTLS (RFC 3207) and AUTH (RFC 4954), with sendmail's wording where it has one. */
final class SecurityReplies {
  private static final EnhancedStatus X_2_7_0 = EnhancedStatus.parse("2.7.0");
  private static final EnhancedStatus X_4_7_0 = EnhancedStatus.parse("4.7.0");
  private static final EnhancedStatus X_5_0_0 = EnhancedStatus.parse("5.0.0");
  private static final EnhancedStatus X_5_5_1 = EnhancedStatus.parse("5.5.1");
  private static final EnhancedStatus X_5_5_2 = EnhancedStatus.parse("5.5.2");
  private static final EnhancedStatus X_5_5_4 = EnhancedStatus.parse("5.5.4");
  private static final EnhancedStatus X_5_7_0 = EnhancedStatus.parse("5.7.0");
  private static final EnhancedStatus X_5_7_8 = EnhancedStatus.parse("5.7.8");
  private static final EnhancedStatus X_5_7_11 = EnhancedStatus.parse("5.7.11");

  private SecurityReplies() {}

  static Reply readyToStartTls() {
    return Reply.ok(220, EnhancedStatus.parse("2.0.0"), "Ready to start TLS");
  }

  /** RFC 3207 4.2: a second STARTTLS in a session that is already encrypted. */
  static Reply tlsAlreadyActive() {
    return Reply.perm(503, X_5_5_1, "TLS already active");
  }

  /** The handshake could not be set up (RFC 3207 4: "454 TLS not available due to temporary reason"). */
  static Reply tlsTemporarilyUnavailable() {
    return Reply.temp(454, X_4_7_0, "TLS not available due to temporary reason");
  }

  static Reply startTlsSyntax() {
    return Reply.perm(501, X_5_5_4, "Syntax error (no parameters allowed)");
  }

  static Reply authSucceeded() {
    return Reply.ok(235, X_2_7_0, "Authentication successful");
  }

  static Reply authFailed() {
    return Reply.perm(535, X_5_7_8, "Authentication credentials invalid");
  }

  static Reply tooManyAuthFailures(String hostname) {
    return Reply.temp(421, X_4_7_0, hostname + " Too many authentication failures; closing connection").thenClose();
  }

  static Reply authUnavailable() {
    return Reply.temp(454, X_4_7_0, "Temporary authentication failure, try again later");
  }

  static Reply authAborted() {
    return Reply.perm(501, X_5_0_0, "Authentication aborted");
  }

  static Reply authCannotDecode() {
    return Reply.perm(501, X_5_5_2, "Cannot decode response");
  }

  static Reply authUnknownMechanism() {
    return Reply.perm(504, X_5_5_4, "Unrecognized authentication type");
  }

  static Reply authSyntax() {
    return Reply.perm(501, X_5_5_4, "Syntax: AUTH mechanism [initial-response]");
  }

  static Reply authNotAvailable() {
    return Reply.perm(503, X_5_5_1, "AUTH not available");
  }

  static Reply alreadyAuthenticated() {
    return Reply.perm(503, X_5_5_1, "Already Authenticated");
  }

  static Reply authDuringTransaction() {
    return Reply.perm(503, X_5_5_1, "AUTH not permitted during a mail transaction");
  }

  /** RFC 4954 6: AUTH before TLS where passwords may not cross the network in the clear. */
  static Reply encryptionRequired() {
    return Reply.perm(538, X_5_7_11, "Encryption required for requested authentication mechanism");
  }

  /** RFC 4954 6 and sendmail's M=a: MAIL on a submission port before AUTH. */
  static Reply authRequired() {
    return Reply.perm(530, X_5_7_0, "Authentication required");
  }

  /** RFC 4954 4: an AUTH response line longer than the server accepts. */
  static Reply authLineTooLong() {
    return Reply.perm(500, EnhancedStatus.parse("5.5.6"), "Authentication Exchange line is too long");
  }
}
