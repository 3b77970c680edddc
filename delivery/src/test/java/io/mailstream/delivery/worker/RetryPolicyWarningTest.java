package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.queue.state.RetryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The delay warning goes with the first attempt at or after acceptance + queue-warn, found from
 * the retry entry alone: the previous attempt's time is its next attempt time minus the wait the
 * schedule gave it, whenever the retry itself actually ran.
 */
class RetryPolicyWarningTest {
  static final long ACCEPTED = 1_700_000_000_000L;
  static final long MINUTE = 60_000L;
  // sendmail's queue runs as Mailstream's default: 1m, 5m, 15m, then every 30m; warn after 4h.
  static final RetryPolicy POLICY = new RetryPolicy(
      List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30)),
      Duration.ofDays(5), Duration.ofHours(4));

  /** The retry entry {@link OutcomeRecorder} stores after attempt {@code attempts} recorded at {@code at}. */
  static RetryEntry entryAfter(int attempts, long at) {
    return new RetryEntry(null, attempts, ACCEPTED, POLICY.nextAttempt(attempts, at), null, null);
  }

  /** Runs attempts until the lifetime, each {@code lateness} after its due time; returns which warned. */
  static List<Integer> warnedAttempts(long firstAt, long lateness) {
    List<Integer> warned = new ArrayList<>();
    RetryEntry previous = null;
    long at = firstAt;
    for (int attempt = 1; !POLICY.expired(ACCEPTED, at); attempt++) {
      if (POLICY.warnsNow(ACCEPTED, previous, at)) {
        warned.add(attempt);
      }
      previous = entryAfter(attempt, at);
      at = previous.nextAttemptAtMillis() + lateness;
    }
    return warned;
  }

  @Test
  void previousAttemptTimeIsReconstructedExactly() {
    for (int attempts = 1; attempts <= 6; attempts++) {
      long at = ACCEPTED + 12_345 * attempts;
      assertEquals(at, POLICY.previousAttemptAt(entryAfter(attempts, at)));
    }
  }

  @ParameterizedTest(name = "retries {0} ms late")
  @ValueSource(longs = {0, 1, 999, 7 * MINUTE, 29 * MINUTE, 3 * 60 * MINUTE})
  void exactlyOneAttemptWarnsOverTheWholeLifetime(long lateness) {
    List<Integer> warned = warnedAttempts(ACCEPTED + 200, lateness);
    assertEquals(1, warned.size(), "warned at attempts " + warned);
  }

  @Test
  void onScheduleTheWarningGoesWithTheFirstAttemptPastFourHours() {
    // Attempts at 0, 1m, 6m, 21m, 51m, 1h21, ... every 30m: 3h51 is before 4h, 4h21 the first after.
    RetryEntry at351 = entryAfter(11, ACCEPTED + 231 * MINUTE);
    assertFalse(POLICY.warnsNow(ACCEPTED, entryAfter(10, ACCEPTED + 201 * MINUTE), ACCEPTED + 231 * MINUTE));
    assertTrue(POLICY.warnsNow(ACCEPTED, at351, ACCEPTED + 261 * MINUTE));
    assertFalse(POLICY.warnsNow(ACCEPTED, entryAfter(12, ACCEPTED + 261 * MINUTE), ACCEPTED + 291 * MINUTE));
  }

  @Test
  void aRetryThatRanLateStillWarnsOnceAndOnlyOnce() {
    // The previous attempt was due at 3h50 but ran at 3h59 (a busy worker): its own time, not its
    // due time, is before 4h, so the next attempt warns; the one after does not.
    long previousAt = ACCEPTED + 239 * MINUTE;
    RetryEntry previous = entryAfter(12, previousAt);
    long next = previous.nextAttemptAtMillis() + 45 * MINUTE;
    assertTrue(POLICY.warnsNow(ACCEPTED, previous, next));
    assertFalse(POLICY.warnsNow(ACCEPTED, entryAfter(13, next), next + 30 * MINUTE));
  }

  @Test
  void anAttemptExactlyAtTheWarningTimeWarns() {
    long warnAt = ACCEPTED + 240 * MINUTE;
    assertTrue(POLICY.warnsNow(ACCEPTED, entryAfter(12, warnAt - 1), warnAt));
    assertFalse(POLICY.warnsNow(ACCEPTED, entryAfter(12, warnAt), warnAt + 30 * MINUTE));
  }

  @Test
  void aFirstAttemptPastTheWarningTimeWarns() {
    // The delivery stage was down, or the message waited in the router: no retry entry yet.
    assertTrue(POLICY.warnsNow(ACCEPTED, null, ACCEPTED + 5 * 60 * MINUTE));
    assertFalse(POLICY.warnsNow(ACCEPTED, null, ACCEPTED + 239 * MINUTE));
  }

  @Test
  void zeroTurnsWarningsOff() {
    RetryPolicy off = new RetryPolicy(POLICY.schedule(), POLICY.lifetime(), Duration.ZERO);
    assertFalse(off.warnsNow(ACCEPTED, null, ACCEPTED + 4 * 24 * 60 * MINUTE));
    assertFalse(new RetryPolicy(POLICY.schedule(), POLICY.lifetime()).warnsNow(ACCEPTED, null, ACCEPTED + 300 * MINUTE));
  }
}
