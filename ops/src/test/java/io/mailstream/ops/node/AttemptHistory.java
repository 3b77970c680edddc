package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.DeliveryAttempted;
import io.mailstream.core.event.MailEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the outcomes topic says about one recipient: its attempts in order, and the deferrals,
 * deliveries and bounces they ended in. Lets a test check a retry schedule against the times the
 * delivery workers themselves recorded.
 */
record AttemptHistory(
    List<DeliveryAttempted> attempts, List<Deferred> deferrals, List<Delivered> deliveries, List<Bounced> bounces) {

  /** The histories of every recipient in {@code outcomes}, by address ({@code bob@corp.example}). */
  static Map<String, AttemptHistory> of(List<MailEvent> outcomes) {
    Map<String, AttemptHistory> all = new HashMap<>();
    for (MailEvent e : outcomes) {
      if (e instanceof DeliveryAttempted a) {
        of(all, a.recipient().toString()).attempts.add(a);
      } else if (e instanceof Deferred d) {
        of(all, d.recipient().toString()).deferrals.add(d);
      } else if (e instanceof Delivered d) {
        of(all, d.recipient().toString()).deliveries.add(d);
      } else if (e instanceof Bounced b) {
        of(all, b.recipient().toString()).bounces.add(b);
      }
    }
    all.values().forEach(h -> {
      h.attempts.sort(Comparator.comparingInt(DeliveryAttempted::attempt));
      h.deferrals.sort(Comparator.comparingInt(Deferred::attempts));
    });
    return all;
  }

  private static AttemptHistory of(Map<String, AttemptHistory> all, String recipient) {
    return all.computeIfAbsent(recipient,
        r -> new AttemptHistory(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
  }

  /** Attempts that started at or after {@code millis}. */
  long attemptsSince(long millis) {
    return attempts.stream().filter(a -> a.attemptedAtMillis() >= millis).count();
  }

  /**
   * Asserts that the attempts are numbered 1, 2, 3... once each; that every one but the last was
   * deferred with its next attempt set by {@code schedule} (the last wait repeating); and that each
   * next attempt started no earlier than that, and at most {@code late} after it (the retry lane
   * looks once a second; the rest is a loaded machine).
   */
  void assertFollows(String recipient, List<Duration> schedule, Duration late) {
    assertEquals(attempts.size() - 1, deferrals.size(), recipient + ": one deferral for every attempt but the last: " + this);
    for (int n = 1; n <= attempts.size(); n++) {
      assertEquals(n, attempts.get(n - 1).attempt(), recipient + ": attempts numbered in turn: " + attempts);
    }
    for (int n = 1; n < attempts.size(); n++) {
      DeliveryAttempted attempt = attempts.get(n - 1);
      Deferred deferred = deferrals.get(n - 1);
      DeliveryAttempted next = attempts.get(n);
      long wait = schedule.get(Math.min(n, schedule.size()) - 1).toMillis();
      assertEquals(n, deferred.attempts(), recipient + ": deferral of attempt " + n);
      assertTrue(deferred.nextAttemptAtMillis() - attempt.attemptedAtMillis() >= wait,
          recipient + ": attempt " + n + " set its next attempt " + wait + " ms on: " + deferred);
      assertTrue(next.attemptedAtMillis() >= deferred.nextAttemptAtMillis(),
          recipient + ": attempt " + (n + 1) + " started " + (deferred.nextAttemptAtMillis() - next.attemptedAtMillis())
              + " ms before it was due");
      assertTrue(next.attemptedAtMillis() - deferred.nextAttemptAtMillis() <= late.toMillis(),
          recipient + ": attempt " + (n + 1) + " started " + (next.attemptedAtMillis() - deferred.nextAttemptAtMillis())
              + " ms after it was due");
    }
  }
}
