package io.mailstream.ingress.session;

import io.mailstream.core.config.SmtpSettings;
import io.mailstream.core.smtp.Reply;
import java.time.Duration;
import java.util.Optional;

/**
 * sendmail's per-session anti-abuse controls: the greet pause (FEATURE(greet_pause)), the bad
 * recipient throttle (confBAD_RCPT_THROTTLE) and the privacy flags ({@link PrivacyRules}). It
 * decides; the server carries out the waits on its event loop.
 */
final class SessionControls {
  // RFC 5321 4.5.3.2.1: a client waits 5 minutes for the greeting; srvrsmtp.c caps the pause there.
  private static final Duration MAX_GREET_PAUSE = Duration.ofMinutes(5);
  // srvrsmtp.c BadRcptThrottleDelay: one second before each RCPT once the limit is reached.
  private static final Duration RCPT_DELAY = Duration.ofSeconds(1);

  final PrivacyRules privacy;
  private final SmtpSettings smtp;
  private int badRcpts;
  private boolean floodLogged;

  SessionControls(SmtpSettings smtp) {
    this.smtp = smtp;
    this.privacy = new PrivacyRules(smtp);
  }

  /**
   * How long to hold the banner back. srvrsmtp.c pauses only a client it would greet with 220: one
   * already refused by check_relay is not paused.
   */
  Duration greetPause(boolean refusedAtConnect) {
    return greetPause(refusedAtConnect, Optional.empty());
  }

  /**
   * The same, where an access entry ({@code GreetPause:host 0}) may set this client's pause; it
   * wins over {@code smtp.greet-pause}, as in greet_pause.m4, where the feature's argument is
   * only the default.
   */
  Duration greetPause(boolean refusedAtConnect, Optional<Duration> forClient) {
    Duration pause = forClient.orElse(smtp.greetPause());
    if (refusedAtConnect || pause.isZero() || pause.isNegative()) {
      return Duration.ZERO;
    }
    return pause.compareTo(MAX_GREET_PAUSE) > 0 ? MAX_GREET_PAUSE : pause;
  }

  /** A new transaction: srvrsmtp.c counts refused recipients per MAIL ({@code n_badrcpts = 0}). */
  void mailAccepted() {
    badRcpts = 0;
    floodLogged = false;
  }

  /** A RCPT was answered: any refusal counts, as every error does in srvrsmtp.c. */
  void rcptAnswered(Reply reply) {
    if (!reply.isPositive()) {
      badRcpts++;
    }
  }

  /** The wait before the next RCPT: one second once the limit of refused ones is reached. */
  Duration rcptDelay() {
    int limit = smtp.badRcptThrottle();
    return limit > 0 && badRcpts >= limit ? RCPT_DELAY : Duration.ZERO;
  }

  /** True once per transaction, when throttling begins: sendmail logs the flood once. */
  boolean floodBegins() {
    if (floodLogged || rcptDelay().isZero()) {
      return false;
    }
    floodLogged = true;
    return true;
  }
}
