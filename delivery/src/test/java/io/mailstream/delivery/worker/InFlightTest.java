package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.rules.DestinationLabels;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.Withdrawal;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.state.RetryStore;
import io.mailstream.queue.testkit.StoredBodies;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.RecordFailures;
import io.mailstream.queue.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many messages in flight per worker: offsets are committed only up to the last contiguous finished
 * record, and retries run in a lane of their own.
 */
@Timeout(90)
class InFlightTest {
  private static final Destination HOST = new Destination("relay", "127.0.0.1", 2525, false);
  private static final ReplyRecord OK = new ReplyRecord(250, "2.0.0", List.of("Ok"));
  private static final ReplyRecord LATER = new ReplyRecord(451, "4.3.0", List.of("Try later"));

  @TempDir Path dir;
  Topics topics;
  DeliveryWorker worker;
  Thread thread;
  final Map<String, CompletableFuture<TransactionResult>> pending = new ConcurrentHashMap<>();
  final Map<String, Integer> calls = new ConcurrentHashMap<>();

  /**
   * Leaves every attempt open until the test completes it, as if waiting for a connection: a
   * withdrawal ends it.
   */
  final Mailer mailer = new Mailer() {
    @Override
    public TransactionResult deliver(Destination destination, OutboundMessage message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<TransactionResult> deliverAsync(
        Destination destination, OutboundMessage message, Withdrawal withdrawal) {
      int n = calls.merge(message.queueId(), 1, Integer::sum);
      CompletableFuture<TransactionResult> f = new CompletableFuture<>();
      pending.put(message.queueId() + "#" + n, f);
      withdrawal.waitingFor(f);
      return f.thenApply(reply -> reply);
    }
  };
  RetryStore store;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final DeliveryMetrics metrics = new DeliveryMetrics(registry, DestinationLabels::none);

  @BeforeEach
  void setUp() {
    topics = new Topics(TestKafka.freshTopics(1, false));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (worker != null) {
      worker.close();
      while (thread.isAlive()) {
        for (String attempt : pending.keySet()) {
          answer(attempt, OK);
        }
        thread.join(50);
      }
    }
  }

  void start(int maxInFlight, Duration retry) {
    worker = worker(maxInFlight, retry);
    thread = new Thread(worker, "delivery-test");
    thread.start();
  }

  /** Another worker of the same node: in the same group, sharing its retry store. */
  DeliveryWorker worker(int maxInFlight, Duration retry) {
    if (store == null) {
      store = RetryStore.open(dir);
    }
    return DeliveryWorker.builder(TestKafka.bootstrap(), topics, r -> mailer,
            new RetryPolicy(List.of(retry), Duration.ofDays(5)), store)
        .bounces(BounceNotifier.NONE)
        .failures(new RecordFailures(3))
        .maxInFlight(maxInFlight)
        .metrics(metrics)
        .build();
  }

  void route(String queueId) throws Exception {
    route(queueId, HOST);
  }

  void route(String queueId, Destination destination) throws Exception {
    route(queueId, destination, null);
  }

  void route(String queueId, Destination destination, Integer partition) throws Exception {
    BodyRef ref = StoredBodies.store(topics, queueId, "Subject: t\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8));
    List<EnvelopeRecipient> rcpts = List.of(EnvelopeRecipient.of(MailAddress.parse(queueId + "@y.test")));
    MessageAccepted m = new MessageAccepted(queueId, System.currentTimeMillis(), new MailAddress("a", "x.test"), rcpts,
        new ClientInfo("client.test", "127.0.0.1", null, "ESMTP", null), null, "", ref, MessageAccepted.DsnRequest.NONE);
    RecipientRouted routed = new RecipientRouted(m, m.sender(), destination, rcpts, List.of(), System.currentTimeMillis());
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.routed(), partition, queueId + "|x", EventCodec.encode(routed))).get();
    }
  }

  void answer(String attempt, ReplyRecord reply) throws Exception {
    CompletableFuture<TransactionResult> f = pending.get(attempt);
    String queueId = attempt.substring(0, attempt.indexOf('#'));
    RecipientResult.Outcome outcome = reply.code() / 100 == 2 ? RecipientResult.Outcome.DELIVERED : RecipientResult.Outcome.DEFERRED;
    f.complete(new TransactionResult("[127.0.0.1] [127.0.0.1]", List.of(new RecipientResult(
        EnvelopeRecipient.of(MailAddress.parse(queueId + "@y.test")), outcome, reply))));
  }

  Long committed() {
    return committed(0);
  }

  Long committed(int partition) {
    OffsetAndMetadata o = lastCommit(partition);
    return o == null ? null : o.offset();
  }

  /** The delivery group's last commit for {@code partition}, as the partition's next owner reads it. */
  OffsetAndMetadata lastCommit(int partition) {
    TopicPartition tp = new TopicPartition(topics.routed(), partition);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
        KafkaClients.consumer(TestKafka.bootstrap(), "test", topics.settings().topicPrefix() + "-delivery", "offsets-reader"))) {
      return c.committed(Set.of(tp)).get(tp);
    }
  }

  static FinishedOffsets listed(OffsetAndMetadata commit) {
    return FinishedOffsets.parse(commit.metadata(), commit.offset());
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  /**
   * Messages a, b and c in flight at once; b and c delivered, a still under way: the offset stays
   * at a, and b and c are listed in the commit as finished past it.
   */
  void bAndCFinishedPastA() throws Exception {
    route("a");
    route("b");
    route("c");
    start(10, Duration.ofMinutes(1));
    await(() -> pending.size() == 3, "three attempts in flight at once");
    answer("b#1", OK);
    answer("c#1", OK);
    await(() -> worker.attempts() == 2, "b and c recorded");
    await(() -> lastCommit(0) != null && !listed(lastCommit(0)).isEmpty(), "b and c listed in a commit");
    OffsetAndMetadata waiting = lastCommit(0);
    assertEquals(0, waiting.offset(), "nothing committed past the first message, in flight");
    assertEquals("1-2", listed(waiting).toString());
  }

  @Test
  void offsetsAreCommittedOnlyUpToTheLastContiguousFinishedMessage() throws Exception {
    bAndCFinishedPastA();

    answer("a#1", OK);
    await(() -> Long.valueOf(3).equals(committed()), "all three committed");
    assertTrue(listed(lastCommit(0)).isEmpty(), "nothing past the offset any more");
  }

  @Test
  void messagesFinishedPastOneThatWaitsAreNotDeliveredAgainByThePartitionsNextOwner() throws Exception {
    bAndCFinishedPastA(); // what a crash would leave now

    // a still waits for its connection: the stop takes it back, and the next worker reads it again.
    worker.close();
    thread.join(20_000);
    assertEquals(Long.valueOf(0), committed());

    start(10, Duration.ofMinutes(1));
    await(() -> pending.containsKey("a#2"), "the next worker attempts a");
    answer("a#2", OK);
    await(() -> Long.valueOf(3).equals(committed()), "all three committed by the next worker");
    assertEquals(1, calls.get("b"), "b was delivered once");
    assertEquals(1, calls.get("c"), "c was delivered once");
    assertEquals(2.0, registry.get("mailstream.delivery.finished.before").counter().count());
  }

  @Test
  void aMessageWhoseDeliveryWasStoredAfterTheLastCommitIsNotSentAgain() throws Exception {
    route("a");
    route("b");
    route("c");
    // What a worker that crashed leaves when it had delivered b and c after its last commit (at
    // a, listing nothing), and Kafka had stored b's outcome. c's outcome is older than the commit
    // by more than a send can take: it does not count (a delivery before the commit would be in it).
    long askedAt = System.currentTimeMillis();
    String group = topics.settings().topicPrefix() + "-delivery";
    TopicPartition tp = new TopicPartition(topics.routed(), 0);
    try (KafkaConsumer<String, byte[]> crashed = new KafkaConsumer<>(
        KafkaClients.consumer(TestKafka.bootstrap(), "test", group, "crashed"));
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(
            KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      crashed.assign(Set.of(tp));
      crashed.commitSync(Map.of(tp, new OffsetAndMetadata(0, FinishedOffsets.NONE.text(0, askedAt))));
      p.send(delivered("b", askedAt + 20)).get();
      p.send(delivered("c", askedAt - 60_000)).get();
    }

    start(10, Duration.ofMinutes(1));
    await(() -> pending.containsKey("a#1") && pending.containsKey("c#1"), "a and c attempted");
    answer("a#1", OK);
    answer("c#1", OK);
    await(() -> Long.valueOf(3).equals(committed()), "all three committed");
    assertEquals(null, calls.get("b"), "b's delivery was stored: not sent again");
    assertEquals(1.0, registry.get("mailstream.delivery.finished.before").counter().count());
  }

  private ProducerRecord<String, byte[]> delivered(String queueId, long atMillis) throws Exception {
    Delivered d = new Delivered(queueId, MailAddress.parse(queueId + "@y.test"), "[127.0.0.1] [127.0.0.1]", OK,
        atMillis - 1000, atMillis);
    return new ProducerRecord<>(topics.outcomes(), null, atMillis, queueId, EventCodec.encode(d));
  }

  @Test
  void aRetryThatHangsDoesNotHoldUpFreshMail() throws Exception {
    route("slow");
    start(4, Duration.ofMillis(200));
    await(() -> pending.containsKey("slow#1"), "first attempt");
    answer("slow#1", LATER);
    await(() -> pending.containsKey("slow#2"), "the retry, which now hangs");

    for (int i = 0; i < 8; i++) {
      route("fresh" + i);
    }
    for (int i = 0; i < 8; i++) {
      String attempt = "fresh" + i + "#1";
      await(() -> pending.containsKey(attempt), attempt);
      answer(attempt, OK);
    }
    await(() -> worker.attempts() == 9, "every fresh message recorded while the retry hangs");
    await(() -> Long.valueOf(9).equals(committed()), "fresh mail committed");
    assertEquals(1, calls.get("slow") - 1, "one retry in flight, not one per round");
  }

  @Test
  void aDestinationThatDoesNotAnswerLeavesHalfTheBudgetToTheOthers() throws Exception {
    Destination dead = new Destination("relay", "dead.test", 2540, false);
    for (int i = 0; i < 6; i++) {
      route("dead" + i, dead);
    }
    for (int i = 0; i < 3; i++) {
      route("live" + i);
    }
    start(4, Duration.ofMinutes(1));

    // Two of the dead destination's messages hang (its share of a budget of 4); the other four
    // wait for it, and the live destination's messages are still read and started behind them.
    for (int i = 0; i < 3; i++) {
      String attempt = "live" + i + "#1";
      await(() -> pending.containsKey(attempt), attempt);
      answer(attempt, OK);
    }
    await(() -> worker.attempts() == 3, "the live destination's mail recorded");
    assertTrue(pending.containsKey("dead0#1") && pending.containsKey("dead1#1"));
    assertEquals(5, pending.size(), "no more than the share of the dead destination started");
    await(() -> registry.get("mailstream.delivery.waiting").gauge().value() == 4, "the four held back, in the gauge");
    Long offset = committed();
    assertTrue(offset == null || offset == 0, "nothing committed past the first message, which hangs: " + offset);

    // The dead destination answers at last: what waited for it starts in order.
    for (int i = 0; i < 6; i++) {
      String attempt = "dead" + i + "#1";
      await(() -> pending.containsKey(attempt), attempt);
      answer(attempt, LATER);
    }
    await(() -> worker.attempts() == 9, "every message recorded");
    await(() -> Long.valueOf(9).equals(committed()), "all committed");
  }

  @Test
  void aStopWithdrawsTheAttemptsStillWaitingAndTheNextWorkerMakesThem() throws Exception {
    route("w0");
    route("w1");
    start(10, Duration.ofMinutes(1));
    await(() -> pending.containsKey("w0#1") && pending.containsKey("w1#1"), "both attempts under way");
    answer("w0#1", OK);
    await(() -> worker.attempts() == 1, "w0 recorded");

    // w1 still waits for its connection: the stop takes it back instead of waiting for it.
    long start = System.nanoTime();
    worker.close();
    thread.join(20_000);
    assertTrue(!thread.isAlive(), "stopped without waiting for the attempt that had not begun");
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(20)) < 0);
    assertEquals(Long.valueOf(1), committed(), "w0 committed, w1 not: it was never attempted");

    start(10, Duration.ofMinutes(1));
    await(() -> pending.containsKey("w1#2"), "the next worker attempts w1");
    answer("w1#2", OK);
    await(() -> Long.valueOf(2).equals(committed()), "w1 committed by the next worker");
  }

  @Test
  void aPartitionThatMovesTakesItsWaitingAttemptAlongAtOnce() throws Exception {
    topics = new Topics(TestKafka.freshTopics(2, false));
    route("p0", HOST, 0);
    route("p1", HOST, 1);
    start(10, Duration.ofMinutes(1));
    await(() -> pending.containsKey("p0#1") && pending.containsKey("p1#1"), "both attempts under way in one worker");

    // A second worker joins: one partition moves to it. Its attempt in the first worker waits for a
    // connection, so it is withdrawn, not waited for (that would hold the group for as long).
    DeliveryWorker second = worker(10, Duration.ofMinutes(1));
    Thread secondThread = new Thread(second, "delivery-test-2");
    secondThread.start();
    try {
      await(() -> pending.containsKey("p0#2") || pending.containsKey("p1#2"), "the moved message attempted by its new owner");
      String moved = pending.containsKey("p0#2") ? "p0" : "p1";
      String stayed = moved.equals("p0") ? "p1" : "p0";
      assertTrue(!pending.containsKey(stayed + "#2"), "the partition that stayed keeps its attempt");
      answer(moved + "#2", OK);
      answer(stayed + "#1", OK);
      await(() -> Long.valueOf(1).equals(committed(0)) && Long.valueOf(1).equals(committed(1)), "both committed");
      assertEquals(1, calls.get(stayed), "the message that stayed was attempted once");
    } finally {
      second.close();
      secondThread.join(30_000);
    }
  }
}
