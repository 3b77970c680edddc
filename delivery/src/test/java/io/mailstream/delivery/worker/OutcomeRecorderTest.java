package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.state.RetryChangelog;
import io.mailstream.queue.state.RetryEntry;
import io.mailstream.queue.state.RetryStore;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retry has no input record that a rewind could read again, so the notice of a retry that gives
 * up must be stored before its retry entry goes: otherwise a notice Kafka did not take, beside a
 * tombstone it did, would leave the sender never told. The records go to Kafka's MockProducer (a
 * broker that fails one record on demand cannot be arranged); the retry store is the real RocksDB.
 */
class OutcomeRecorderTest {
  @TempDir Path dir;
  private final MockProducer<String, byte[]> kafka =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final List<List<BounceNotifier.Failure>> notices = new ArrayList<>();
  private Topics topics;
  private RetryStore store;

  @BeforeEach
  void setUp() {
    topics = new Topics(TestKafka.freshTopics(2, false));
    store = RetryStore.open(dir);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private OutcomeRecorder recorder(Runnable noticesStored) {
    BounceNotifier bounces = (message, failures, bodies, producer) -> notices.add(failures);
    return new OutcomeRecorder(kafka, topics.outcomes(), store, new RetryChangelog(kafka, TestKafka.bootstrap(),
        ClientName.of("test"), topics.retryState()), new RetryPolicy(List.of(Duration.ofMinutes(1)), Duration.ofDays(5)), bounces, null,
        DeliveryMetrics.NONE, noticesStored);
  }

  @Test
  void aRetrysNoticeThatIsNotStoredLeavesItsRetryEntryAsItWas() throws Exception {
    RetryEntry previous = deferredOnce();
    OutcomeRecorder recorder = recorder(() -> {
      throw new KafkaException("a record was not stored");
    });

    assertThrows(KafkaException.class, () -> recorder.record(0, previous.routed(), previous, 2, refused(previous),
        System.currentTimeMillis(), System.currentTimeMillis()));

    assertEquals(1, notices.size(), "the notice was sent");
    assertTrue(store.get(0, previous.key()).isPresent(), "the entry stays, to be attempted again");
    assertTrue(kafka.history().stream().noneMatch(r -> r.topic().equals(topics.retryState())),
        "no tombstone for the entry");
  }

  @Test
  void aRetrysStoredNoticeIsFollowedByTheEntrysTombstone() throws Exception {
    RetryEntry previous = deferredOnce();
    OutcomeRecorder recorder = recorder(() -> { });

    recorder.record(0, previous.routed(), previous, 2, refused(previous), System.currentTimeMillis(),
        System.currentTimeMillis());

    assertEquals(1, notices.size());
    assertTrue(store.get(0, previous.key()).isEmpty());
    assertTrue(kafka.history().stream()
        .anyMatch(r -> r.topic().equals(topics.retryState()) && r.key().equals(previous.key()) && r.value() == null));
  }

  private RetryEntry deferredOnce() throws Exception {
    EnvelopeRecipient bob = EnvelopeRecipient.of(MailAddress.parse("bob@corp.example"));
    byte[] body = "Subject: retried\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    MessageAccepted m = new MessageAccepted("qr1", System.currentTimeMillis(), new MailAddress("alice", "dmz.example"),
        List.of(bob), new ClientInfo("client.test", "127.0.0.1", null, "ESMTP", null), null,
        "Received: by relay.test\r\n", BodyRef.inline(body), MessageAccepted.DsnRequest.NONE);
    RecipientRouted routed = new RecipientRouted(m, m.sender(),
        Destination.ofHosts("relay", List.of(new Destination.Hop("smtp.corp.example", false)), 25), List.of(bob),
        List.of(), System.currentTimeMillis());
    long now = System.currentTimeMillis();
    RetryEntry entry = new RetryEntry(routed, 1, now, now,
        ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_3_0, "Try again later")), "smtp.corp.example");
    store.put(0, entry);
    return entry;
  }

  private static TransactionResult refused(RetryEntry entry) {
    ReplyRecord no = ReplyRecord.of(Reply.perm(550, EnhancedStatus.X_5_1_1, "No such user"));
    return new TransactionResult("smtp.corp.example", entry.routed().recipients().stream()
        .map(r -> new RecipientResult(r, RecipientResult.Outcome.BOUNCED, no)).toList());
  }
}
