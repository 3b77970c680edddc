package io.mailstream.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.ops.queue.QueueIndex;
import io.mailstream.ops.queue.QueueIndexes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue gauges: per state, from the view, counted at most once a second. */
class QueueGaugesTest {
  private static final long T = 1_700_000_000_000L;
  private static final MailAddress BOB = new MailAddress("bob", "corp.example");
  private static final ReplyRecord LATER = new ReplyRecord(451, "4.7.1", List.of("Try again later"));

  @RegisterExtension final QueueIndexes indexes = new QueueIndexes();

  @Test
  void countsAndAgesPerStateAndCountsAtMostOnceASecond() {
    QueueIndex index = indexes.open();
    AtomicLong now = new AtomicLong(T + 90_000);
    QueueGauges gauges = new QueueGauges(index, now::get);
    deferred(index, "q1", T);
    assertEquals(1, gauges.messages("deferred"));
    assertEquals(90.0, gauges.oldestAgeSeconds("deferred"));
    assertEquals(0, gauges.messages("queued"));
    assertEquals(0, gauges.oldestAgeSeconds("held"), "no message in the state: age 0");

    deferred(index, "q2", T - 30_000);
    now.addAndGet(500);
    assertEquals(1, gauges.messages("deferred"), "the count of half a second ago");
    assertEquals(90.5, gauges.oldestAgeSeconds("deferred"), "its oldest ages with the clock");
    now.addAndGet(500);
    assertEquals(2, gauges.messages("deferred"), "a second later, counted again");
    assertEquals(121.0, gauges.oldestAgeSeconds("deferred"));
  }

  @Test
  void registeredUnderPrometheusNamesWithAStateTag() {
    QueueIndex index = indexes.open();
    deferred(index, "q1", System.currentTimeMillis() - 60_000);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    QueueGauges.register(registry, index);
    // Nothing but the gauges holds what they read: a collection must not turn them into NaN, as it
    // did in a scrape of a running node.
    System.gc();
    for (String state : QueueGauges.STATES) {
      double expected = state.equals("deferred") ? 1 : 0;
      assertEquals(expected, registry.get("mailstream.queue.messages").tag("state", state).gauge().value(), state);
    }
    double age = registry.get("mailstream.queue.oldest.age").tag("state", "deferred").gauge().value();
    assertEquals(60, age, 30, "about a minute, on a loaded machine");
    assertEquals("seconds", registry.get("mailstream.queue.oldest.age").gauge().getId().getBaseUnit());
  }

  private static void deferred(QueueIndex index, String id, long acceptedAt) {
    index.apply(new MessageAccepted(id, acceptedAt, new MailAddress("alice", "client.example"),
        List.of(EnvelopeRecipient.of(BOB)), new ClientInfo("client.example", "192.0.2.1", null, "ESMTP", null),
        "<m@client.example>", null, BodyRef.inline("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)),
        MessageAccepted.DsnRequest.NONE), 0, 1, acceptedAt);
    index.apply(new Deferred(id, BOB, "smtp.corp.example", LATER, 1, acceptedAt + 3_600_000), 0, 2, acceptedAt + 10);
  }
}
