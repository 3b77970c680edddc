package io.mailstream.delivery.worker;

import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.bounce.DsnNotifier;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.state.RetryChangelog;
import io.mailstream.queue.state.RetryEntry;
import io.mailstream.queue.state.RetryStore;
import io.mailstream.queue.topic.DeadLetters;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.RecordFailedException;
import io.mailstream.queue.topic.RecordFailures;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the delivery stage's consumer group. It takes RecipientRouted events, hands each
 * message to the mailer for its destination and records the outcome per recipient. Deferred
 * recipients wait in the retry state of the partition they came from; between polls the worker
 * retries what is due, so a deferred message never blocks the partition behind it.
 *
 * <p>Input offsets are committed after each polled batch, once the outcome events and retry state
 * of its messages are acknowledged; a worker that stops finishes the message in hand, commits and
 * hands over the rest of its batch. When it gains a partition it rebuilds that partition's retry state from the
 * changelog.
 *
 * <p>A message whose delivery throws (not a Kafka error: a mailer or the outcome bookkeeping) ends
 * {@link #run} with a {@link RecordFailedException} naming it, after committing the messages of the
 * batch before it; whoever runs the worker starts a new one. After {@link RecordFailures}' bound,
 * the message goes to the dead-letter topic instead and the partition moves on.
 */
public final class DeliveryWorker implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int RETRIES_PER_ROUND = 50;
  // How long to wait at most between two tries while Kafka does not answer.
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Topics topics;
  private final Function<RecipientRouted, Mailer> mailers;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final AcknowledgedSends sends;
  // Retry entries the batch in hand created: if the batch is not recorded, they go too, so that
  // reading it again attempts their messages again instead of skipping them as already deferred.
  private final Map<Integer, Set<String>> createdInBatch = new HashMap<>();
  private final BodyReader bodies;
  private final DeadLetters deadLetters;
  private final RetryStore store;
  private final RetryChangelog changelog;
  private final OutcomeRecorder recorder;
  private final RouteHandBack handBack;
  private final Supplier<String> currentRouting;
  private final RecordFailures failures;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private final AtomicLong attempts = new AtomicLong();
  private volatile boolean running = true;
  private Duration backoff = Duration.ZERO;

  /**
   * A worker whose bounces notify senders as {@code localhost} would; a node passes its hostname
   * with {@link #DeliveryWorker(String, Topics, Function, RetryPolicy, RetryStore, BounceNotifier)}.
   */
  public DeliveryWorker(
      String bootstrap, Topics topics, Function<RecipientRouted, Mailer> mailers, RetryPolicy policy, RetryStore store) {
    this(bootstrap, topics, mailers, policy, store, new DsnNotifier("localhost", topics));
  }

  /**
   * @param mailers picks the mailer for a routed message (the local mailer or the SMTP client)
   * @param store the node's retry state; workers of one node share it (their partitions are disjoint)
   * @param bounces told of the recipients each attempt gives up on (delivery status notifications)
   */
  public DeliveryWorker(String bootstrap, Topics topics, Function<RecipientRouted, Mailer> mailers,
      RetryPolicy policy, RetryStore store, BounceNotifier bounces) {
    this(bootstrap, topics, mailers, policy, store, bounces, Rerouting.unknownRules(),
        new RecordFailures(RecordFailures.DEFAULT_ATTEMPTS));
  }

  /**
   * @param rerouting tells the rules in force, so that a retry routed under others goes back to the
   *     router first, and names this worker for the transactions that hand recipients back
   * @param failures counts the messages delivery failed on; it must outlive this worker (the next
   *     worker started in its place reads the same messages), so the caller keeps it
   */
  public DeliveryWorker(String bootstrap, Topics topics, Function<RecipientRouted, Mailer> mailers,
      RetryPolicy policy, RetryStore store, BounceNotifier bounces, Rerouting rerouting, RecordFailures failures) {
    this.failures = failures;
    this.topics = topics;
    this.mailers = mailers;
    Properties c = KafkaClients.consumer(bootstrap, topics.settings().topicPrefix() + "-delivery");
    // A retry round and an SMTP transaction (DATA termination may take 10 minutes) run between polls.
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    this.consumer = new KafkaConsumer<>(c);
    this.sends = new AcknowledgedSends(new KafkaProducer<>(KafkaClients.producer(bootstrap, Duration.ofSeconds(60))));
    this.producer = sends.producer();
    this.bodies = new BodyReader(bootstrap, topics, Duration.ofSeconds(30));
    this.deadLetters = new DeadLetters(producer, topics);
    this.store = store;
    this.changelog = new RetryChangelog(producer, bootstrap, topics.retryState());
    this.recorder = new OutcomeRecorder(producer, topics.outcomes(), store, changelog, policy, bounces, bodies);
    this.handBack = new RouteHandBack(bootstrap, topics, rerouting.workerId(), store);
    this.currentRouting = rerouting.currentFingerprint();
  }

  @Override
  public void run() {
    try {
      handBack.start();
      consumer.subscribe(List.of(topics.routed()), new Rebalance());
      while (running) {
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(250));
        try {
          deliver(batch);
          retryDue();
          backoff = Duration.ZERO;
        } catch (WakeupException | InterruptException | AuthorizationException | AuthenticationException e) {
          throw e;
        } catch (KafkaException e) {
          // The broker did not take an outcome, retry state, DSN or commit: none of this batch's
          // offsets were committed, so read it again once Kafka answers. Mail already handed to
          // its next hop in the batch may go out twice (at least once, never lost).
          backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
          log.warn("delivery batch not recorded ({}); again from the last commit in {}s", e.toString(), backoff.toSeconds());
          rewind(batch);
          sleep(backoff);
        }
      }
    } finally {
      // Whatever ends the loop other than close() propagates: the worker's runner logs it and
      // starts another.
      consumer.close();
      producer.close(Duration.ofSeconds(5));
      handBack.close();
      bodies.close();
    }
  }

  private void deliver(ConsumerRecords<String, byte[]> batch) {
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : batch) {
      try {
        handle(record);
      } catch (RecordFailedException e) {
        // The messages before it went out: commit them, so that the next worker starts at the
        // failed one instead of sending those again.
        commit(done);
        throw e;
      }
      done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
      if (!running) {
        break;
      }
    }
    commit(done);
  }

  // One flush and one commit per batch: outcomes and retry state are acknowledged before the
  // offsets that cover them. Only a crash (not a stop or a rebalance, which happen between
  // batches) can make the next owner repeat the messages of the batch in hand.
  private void commit(Map<TopicPartition, OffsetAndMetadata> done) {
    if (!done.isEmpty()) {
      producer.flush();
      sends.check();
      consumer.commitSync(done);
    }
    createdInBatch.clear();
  }

  private void rewind(ConsumerRecords<String, byte[]> batch) {
    // The changelog may have taken some of them; a tombstone keeps a later owner from restoring
    // an entry that reading the batch again may never create (if the next attempt delivers).
    createdInBatch.forEach((partition, keys) -> keys.forEach(key -> {
      store.remove(partition, key);
      changelog.remove(partition, key);
    }));
    createdInBatch.clear();
    for (TopicPartition tp : batch.partitions()) {
      if (consumer.assignment().contains(tp)) {
        consumer.seek(tp, batch.records(tp).get(0).offset());
      }
    }
  }

  private void sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    while (running && System.nanoTime() < until) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    Optional<String> givenUp = failures.exhausted(record);
    if (givenUp.isPresent()) {
      deadLetters.send(record, givenUp.get());
      return;
    }
    Optional<RecipientRouted> decoded = deadLetters.decode(record, RecipientRouted.class);
    if (decoded.isEmpty()) {
      return;
    }
    RecipientRouted routed = decoded.get();
    if (store.get(record.partition(), RetryEntry.keyOf(routed)).isPresent()) {
      // Already attempted and waiting for its retry: this record was redelivered after a crash.
      return;
    }
    try {
      attempt(record.partition(), routed, null, 1);
    } catch (KafkaException e) {
      throw e;
    } catch (RuntimeException e) {
      failures.failed(record, e);
      throw new RecordFailedException(record, routed.queueId(), e);
    }
    failures.succeeded(record);
    String key = RetryEntry.keyOf(routed);
    if (store.get(record.partition(), key).isPresent()) {
      createdInBatch.computeIfAbsent(record.partition(), p -> new java.util.HashSet<>()).add(key);
    }
  }

  /**
   * Attempts what is due, except recipients whose routing is out of date: routed under rules that
   * have changed since (sendmail routes again on every queue run), or not placed by the router yet.
   * Those go back to the router, which gives them their destination under the rules in force.
   */
  private void retryDue() {
    long now = System.currentTimeMillis();
    String routing = currentRouting.get();
    for (int partition : owned) {
      for (RetryEntry entry : store.due(partition, now, RETRIES_PER_ROUND)) {
        if (!running) {
          return;
        }
        RecipientRouted routed = entry.routed();
        if (routed.destination().isReroute() || routed.routedUnderOtherRules(routing)) {
          try {
            handBack.handBack(partition, entry, System.currentTimeMillis());
          } catch (KafkaException e) {
            // Nothing of it is visible and the entry stays due: the next round hands it back.
            log.warn("{}: not handed back to the router yet ({})", routed.queueId(), e.toString());
            return;
          }
          continue;
        }
        attempt(partition, routed, entry, entry.attempts() + 1);
        producer.flush();
        sends.check();
      }
    }
  }

  private void attempt(int partition, RecipientRouted routed, RetryEntry previous, int attempt) {
    long started = System.currentTimeMillis();
    OutboundMessage message =
        new OutboundMessage(
            routed.queueId(),
            routed.envelopeSender(),
            routed.recipients(),
            routed.message().receivedHeader(),
            new StoredBody(bodies, routed),
            routed.message().dsn());
    TransactionResult result =
        routed.destination().isReroute()
            ? routingDeferred(routed)
            : mailers.apply(routed).deliver(routed.destination(), message);
    attempts.incrementAndGet();
    recorder.record(partition, routed, previous, attempt, result, started, System.currentTimeMillis());
  }

  /**
   * Recipients the router could not place yet: their first attempt only defers them, and the retry
   * hands them back to the router ({@link #retryDue}), which routes them under the rules it has then.
   */
  private static TransactionResult routingDeferred(RecipientRouted routed) {
    ReplyRecord later = new ReplyRecord(451, "4.3.0", List.of("Routing deferred; routed again at the next attempt"));
    return new TransactionResult("router", routed.recipients().stream()
        .map(r -> new RecipientResult(r, RecipientResult.Outcome.DEFERRED, later)).toList());
  }

  /** Delivery attempts (SMTP transactions or local deliveries) this worker has made. */
  public long attempts() {
    return attempts.get();
  }

  /** How many routed-topic partitions this worker owns now. */
  public int partitions() {
    return owned.size();
  }

  /** Number of deferred deliveries this worker holds, for tests and metrics. */
  public int queued() {
    return owned.stream().mapToInt(p -> store.all(p).size()).sum();
  }

  /**
   * Stops after the message in hand. No {@code wakeup()}: it could interrupt the commit of a message
   * already delivered, and that message would then be sent again by the next owner of its
   * partition. The short poll time-out bounds the wait instead.
   */
  @Override
  public void close() {
    running = false;
  }

  /** Loads retry state for gained partitions and forgets it for lost ones. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        int n = changelog.restore(tp.partition(), store, Duration.ofMinutes(2));
        owned.add(tp.partition());
        if (n > 0) {
          log.info("{}: rebuilt {} deferred deliveries from the changelog", tp, n);
        }
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      producer.flush();
      for (TopicPartition tp : partitions) {
        owned.remove(tp.partition());
        store.clear(tp.partition());
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }
}
