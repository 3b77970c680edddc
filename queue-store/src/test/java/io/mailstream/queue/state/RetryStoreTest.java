package io.mailstream.queue.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryStoreTest {
  @TempDir Path dir;

  static RetryEntry entry(String queueId, long next) {
    MessageAccepted m =
        new MessageAccepted(
            queueId, 1000, new MailAddress("a", "x.example"),
            List.of(EnvelopeRecipient.of(new MailAddress("b", "y.example"))),
            new io.mailstream.core.event.ClientInfo("h", "127.0.0.1", null, "ESMTP", null), null, "",
            new io.mailstream.core.event.BodyRef(0, List.of(1L), 5), MessageAccepted.DsnRequest.NONE);
    RecipientRouted r =
        new RecipientRouted(m, m.sender(), new Destination("relay", "smtp.example", 25, false), m.recipients(), List.of(), 1000);
    return new RetryEntry(r, 1, 2000, next, new ReplyRecord(421, "4.3.2", List.of("busy")), "smtp.example [127.0.0.1]");
  }

  @Test
  void dueIndexFollowsUpdatesAndPartitionsStayApart() {
    try (RetryStore store = RetryStore.open(dir)) {
      store.put(0, entry("q1", 5000));
      store.put(0, entry("q2", 3000));
      store.put(1, entry("q3", 1000));
      assertEquals(List.of("q2"), store.due(0, 4000, 10).stream().map(e -> e.routed().queueId()).toList());
      assertEquals(List.of("q2", "q1"), store.due(0, 9000, 10).stream().map(e -> e.routed().queueId()).toList());
      store.put(0, entry("q2", 8000)); // rescheduled: the old index key must go
      assertEquals(List.of("q1", "q2"), store.due(0, 9000, 10).stream().map(e -> e.routed().queueId()).toList());
      assertEquals(List.of("q1"), store.due(0, 7000, 10).stream().map(e -> e.routed().queueId()).toList());
      store.remove(0, entry("q1", 0).key());
      assertEquals(List.of("q2"), store.due(0, 9000, 10).stream().map(e -> e.routed().queueId()).toList());
      assertEquals(1, store.all(1).size());
      store.clear(1);
      assertTrue(store.all(1).isEmpty());
      assertEquals(1, store.all(0).size());
    }
  }

  @Test
  void rebuildsAPartitionFromTheChangelogOnAnEmptyDisk() throws Exception {
    Topics topics = new Topics(TestKafka.freshTopics(2, false));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      RetryChangelog log = new RetryChangelog(producer, TestKafka.bootstrap(), ClientName.of("test"), topics.retryState());
      log.put(1, entry("q1", 5000)).get();
      log.put(1, entry("q2", 6000)).get();
      log.put(1, entry("q1", 7000)).get();
      log.remove(1, entry("q2", 0).key()).get();
      log.put(0, entry("q9", 100)).get();
      try (RetryStore fresh = RetryStore.open(dir.resolve("fresh"))) {
        assertEquals(1, log.restore(1, fresh, Duration.ofSeconds(30)));
        RetryEntry q1 = fresh.get(1, entry("q1", 0).key()).orElseThrow();
        assertEquals(7000, q1.nextAttemptAtMillis(), "next attempt time survives the rebuild");
        assertEquals(2000, q1.firstAttemptAtMillis());
        assertEquals(entry("q1", 7000), q1);
        assertTrue(fresh.all(0).isEmpty(), "only the restored partition is loaded");
      }
    }
  }

  /**
   * The node's delivery workers share the store: a worker that gives a partition up late must not
   * clear what the worker that took it over has restored meanwhile.
   */
  @Test
  void aPartitionIsClearedOnlyByItsCurrentHolder() {
    try (RetryStore store = RetryStore.open(dir)) {
      Object lost = new Object();
      Object next = new Object();
      store.hold(3, lost);
      store.hold(3, next); // taken over and restored before the first noticed its loss
      store.put(3, entry("q1", 5000));

      assertFalse(store.release(3, lost));
      assertEquals(1, store.all(3).size(), "the new holder's entries stay");
      assertTrue(store.release(3, next));
      assertEquals(0, store.all(3).size());
      assertFalse(store.release(3, next), "released once");
    }
  }

  @Test
  void retryEntryRoundTrips() {
    RetryEntry e = entry("q5", 1234);
    assertEquals(e, EventCodec.decodeRetry(EventCodec.encodeRetry(e)));
    RetryEntry stamped = new RetryEntry(
        new RecipientRouted(e.routed().message(), e.routed().envelopeSender(), e.routed().destination(),
            e.routed().recipients(), e.routed().headerEdits(), e.routed().routedAtMillis(), "a1b2c3d4e5f6"),
        e.attempts(), e.firstAttemptAtMillis(), e.nextAttemptAtMillis(), e.lastReply(), e.lastRelay());
    assertEquals("a1b2c3d4e5f6", EventCodec.decodeRetry(EventCodec.encodeRetry(stamped)).routed().routingFingerprint());
  }

  /**
   * Entries a version-1 node wrote to the changelog are read after an upgrade, without a
   * fingerprint: routed under unknown rules, so their next retry is routed again.
   */
  @Test
  void readsVersion1RetryEntries() throws Exception {
    byte[] routedV1;
    try (java.io.InputStream in = getClass().getResourceAsStream("/golden/v1/recipient-routed.bin")) {
      routedV1 = in.readAllBytes();
    }
    RecipientRouted routed = (RecipientRouted) EventCodec.decode(routedV1);
    RetryEntry template = entry("q6", 1234);
    RetryEntry e = new RetryEntry(routed, template.attempts(), template.firstAttemptAtMillis(),
        template.nextAttemptAtMillis(), template.lastReply(), template.lastRelay());
    // A retry entry is its routed event's fields, then the retry fields, which no version changed:
    // version 1's entry is the golden version 1 routed event's fields with the same tail.
    byte[] v2 = EventCodec.encodeRetry(e);
    int routedEnd = EventCodec.encode(routed).length;
    java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
    v1.write(new byte[] {1, v2[1]});
    v1.write(routedV1, 2, routedV1.length - 2);
    v1.write(v2, routedEnd, v2.length - routedEnd);
    assertEquals(null, routed.routingFingerprint());
    assertEquals(e, EventCodec.decodeRetry(v1.toByteArray()));
  }

}
