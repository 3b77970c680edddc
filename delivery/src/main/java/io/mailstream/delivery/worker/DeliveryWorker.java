package io.mailstream.delivery.worker;

import io.mailstream.core.config.DeliverySettings;
import io.mailstream.core.config.DurationText;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.QueueCommand;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.Withdrawal;
import io.mailstream.delivery.bounce.DsnNotifier;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.state.QueueControl;
import io.mailstream.queue.state.RetryChangelog;
import io.mailstream.queue.state.RetryEntry;
import io.mailstream.queue.state.RetryStore;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.DeadLetters;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.RecordFailedException;
import io.mailstream.queue.topic.RecordFailures;
import io.mailstream.queue.topic.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the delivery stage's consumer group. It takes RecipientRouted events and hands each
 * message to the mailer for its destination without waiting for it: up to {@code maxInFlight}
 * messages are in flight at once (SMTP transactions on the client's event loops, not a thread
 * each). One destination has at most half of them: mail beyond that share waits in order for it
 * ({@link DestinationShares}), so that a destination that does not answer (each transaction then
 * lasts the host wait) leaves the other half to mail for the others on the same partitions.
 * Completed attempts are recorded on this worker's thread: an outcome per recipient, and the retry
 * state for those deferred. Deferred recipients wait in the retry state of the partition they
 * came from; retries that are due run in a lane of their own (a quarter of {@code maxInFlight} on
 * top of it), so that fresh mail never waits behind them, nor they behind it.
 *
 * <p>Every 50 ms (or 2,000 recorded attempts) every send is checked and the input offsets are
 * committed, without waiting, up to the last contiguous finished record of each partition, with
 * the finished records past it listed in the commit's metadata ({@link FinishedOffsets}): a record
 * is committed only once the outcomes, retry state and notices of its message are acknowledged by
 * Kafka, and the worker never stops to flush. A worker that stops, or loses partitions, waits for
 * the messages in flight (or takes back those still waiting for a connection), records them and
 * commits them synchronously. When it gains a partition it rebuilds that partition's retry state
 * from the changelog, reads past the messages the last commit lists, and looks up the deliveries
 * stored since that commit ({@link StoredDeliveries}): what a crash makes the next owner repeat
 * is, as a rule, what the next hop took before Kafka acknowledged its outcome.
 *
 * <p>A message whose delivery throws (not a Kafka error: a mailer or the outcome bookkeeping) ends
 * {@link #run} with a {@link RecordFailedException} naming it, after the messages in flight are
 * finished and those before it committed; whoever runs the worker starts a new one. After {@link
 * RecordFailures}' bound, the message goes to the dead-letter topic instead and the partition
 * moves on.
 */
public final class DeliveryWorker implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  // Its member name in the delivery group (node id and index), in the log lines of its partitions.
  private final String member;
  private boolean assignedBefore;
  // How long to wait at most between two tries while Kafka does not answer.
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  // Offsets are committed this often, or after this many records.
  private static final long COMMIT_INTERVAL_NANOS = Duration.ofMillis(50).toNanos();
  // Commits asked for before the first is answered: with one, a record finished just after a
  // commit left waited for its answer and then for a commit of its own, and on a loaded cluster
  // (commits of a second or more) that doubled what a crash repeats. The coordinator answers a
  // member's commits in order.
  private static final int MAX_COMMITS_IN_FLIGHT = 3;
  private static final int MAX_RECORDED_BEFORE_COMMIT = 2000;
  // Bodies held by the messages in flight; polling pauses above it (a few large bodies).
  private static final long MAX_BYTES_IN_FLIGHT = 32L * 1024 * 1024;
  private static final long RETRY_ROUND_NANOS = Duration.ofSeconds(1).toNanos();
  // How long a stop or a rebalance waits for the messages in flight (SMTP time-outs bound them).
  private static final Duration FINISH_IN_FLIGHT = Duration.ofSeconds(60);
  // How often a held message's retry entry comes due to be looked at; a release makes it due at once.
  private static final Duration HELD_RECHECK = Duration.ofMinutes(10);
  // How long before a commit was asked for the look-up starts: an outcome sent before it may have
  // been acknowledged after it (within milliseconds as a rule; one slower than this only repeats).
  private static final Duration SEND_SLACK = Duration.ofSeconds(5);
  private static final ReplyRecord HELD =
      ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_3_0, "Held by the administrator (mailstream release lifts it)"));

  private final Topics topics;
  private final Function<RecipientRouted, Mailer> mailers;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final AcknowledgedSends sends;
  // Retry entries created and not yet known to be stored, with the number of their last send: if
  // they are not acknowledged, a rewind removes them too, so that reading their messages again
  // attempts them instead of skipping them as already deferred.
  private final Map<Integer, Map<String, Long>> unconfirmedEntries = new HashMap<>();
  private final BodyReader bodies;
  private final BodyReader largeBodies;
  private final DeadLetters deadLetters;
  private final RetryStore store;
  private final RetryChangelog changelog;
  private final OutcomeRecorder recorder;
  private final RouteHandBack handBack;
  private final Supplier<String> currentRouting;
  private final RecordFailures failures;
  private final int maxInFlight;
  private final int maxRetriesInFlight;
  // No destination takes more than half the budget: a dead one leaves the rest to the others.
  private final DestinationShares<Waiting> shares;
  // The attempts under way per partition: those of partitions that leave the worker, or of a
  // worker that stops, are withdrawn if their transaction has not begun, and the rest waited for.
  private final Map<Integer, Set<Withdrawal>> underway = new HashMap<>();
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private final AtomicLong attempts = new AtomicLong();
  private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final OffsetTracker tracker = new OffsetTracker();
  // Deliveries stored since the last commits of the partitions gained (by an owner that crashed,
  // or stopped), and per partition the end of routed when it was gained: records past it were
  // routed after the look-up and need none.
  private StoredDeliveries storedDeliveries = StoredDeliveries.NONE;
  private final Map<TopicPartition, Long> lookUpBefore = new HashMap<>();
  private final String bootstrap;
  private final Set<String> retrying = new HashSet<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private final QueueControl control;
  private long controlCursor;
  // Queue ids with an attempt under way, for the verbs that say a hold cannot stop it.
  private final Map<String, Integer> delivering = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private Duration backoff = Duration.ZERO;
  private int inFlight;
  private int retriesInFlight;
  private long bytesInFlight;
  private int generation;
  private int recordedSinceCommit;
  private long lastCommitNanos = System.nanoTime();
  // Offset commits under way (at most MAX_COMMITS_IN_FLIGHT); the worker goes on recording meanwhile.
  private int commitsInFlight;
  private boolean commitRefusedLogged;
  private final AtomicInteger uncommitted;
  private final AtomicInteger waitingGauge;
  private final DeliveryMetrics metrics;
  private long lastRetryRoundNanos;
  private RecordFailedException failed;

  /** A fresh message waiting for its destination's share of the in-flight budget. */
  private record Waiting(ConsumerRecord<String, byte[]> record, RecipientRouted routed) {}

  /** A finished attempt, handed from the mailer's thread to this worker's. */
  private record Completion(ConsumerRecord<String, byte[]> record, int partition, RecipientRouted routed,
      RetryEntry previous, int attempt, long startedAt, long bytes, int generation, Withdrawal withdrawal,
      TransactionResult result, Throwable error) {}

  /**
   * A worker for {@code topics} on the cluster at {@code bootstrap}; the rest has defaults a test or
   * a tool can keep (see {@link Builder}).
   *
   * @param mailers picks the mailer for a routed message (the local mailer or the SMTP client)
   * @param store the node's retry state; workers of one node share it (their partitions are disjoint)
   */
  public static Builder builder(String bootstrap, Topics topics, Function<RecipientRouted, Mailer> mailers,
      RetryPolicy policy, RetryStore store) {
    return new Builder(bootstrap, topics, mailers, policy, store);
  }

  /** What a delivery worker is made of, beyond its cluster, topics, mailers, policy and store. */
  public static final class Builder {
    private final String bootstrap;
    private final Topics topics;
    private final Function<RecipientRouted, Mailer> mailers;
    private final RetryPolicy policy;
    private final RetryStore store;
    private BounceNotifier bounces;
    private Rerouting rerouting = Rerouting.unknownRules();
    private RecordFailures failures = new RecordFailures(RecordFailures.DEFAULT_ATTEMPTS);
    private int maxInFlight = DeliverySettings.DEFAULT_MAX_IN_FLIGHT;
    private DeliveryMetrics metrics = DeliveryMetrics.NONE;
    private QueueControl control = QueueControl.none();

    private Builder(String bootstrap, Topics topics, Function<RecipientRouted, Mailer> mailers, RetryPolicy policy,
        RetryStore store) {
      this.bootstrap = bootstrap;
      this.topics = topics;
      this.mailers = mailers;
      this.policy = policy;
      this.store = store;
      this.bounces = new DsnNotifier("localhost", topics);
    }

    /**
     * Told of the recipients each attempt gives up on, and of delays (delivery status
     * notifications); by default notices signed as {@code localhost}, where a node names itself.
     */
    public Builder bounces(BounceNotifier bounces) {
      this.bounces = bounces;
      return this;
    }

    /**
     * Tells the rules in force, so that a retry routed under others goes back to the router first,
     * and names this worker (its group member and the transactions that hand recipients back).
     */
    public Builder rerouting(Rerouting rerouting) {
      this.rerouting = rerouting;
      return this;
    }

    /**
     * Counts the messages delivery failed on; it must outlive the worker (the next worker started
     * in its place reads the same messages), so the caller keeps it.
     */
    public Builder failures(RecordFailures failures) {
      this.failures = failures;
      return this;
    }

    /** Messages in flight at once ({@code delivery.max-in-flight}). */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** Counts outcomes, latency, commits and dead letters for {@code /metrics}. */
    public Builder metrics(DeliveryMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /**
     * The administrators' orders as the node applies them: held and deleted messages are not
     * attempted, and release, delete, flush and requeue act on this worker's retry state.
     */
    public Builder control(QueueControl control) {
      this.control = control;
      return this;
    }

    public DeliveryWorker build() {
      return new DeliveryWorker(this);
    }
  }

  private DeliveryWorker(Builder b) {
    this.bootstrap = b.bootstrap;
    this.control = b.control;
    this.controlCursor = b.control.end();
    this.failures = b.failures;
    this.topics = b.topics;
    this.mailers = b.mailers;
    this.maxInFlight = b.maxInFlight;
    this.maxRetriesInFlight = Math.max(1, b.maxInFlight / 4);
    this.shares = new DestinationShares<>(Math.max(1, b.maxInFlight / 2));
    this.metrics = b.metrics;
    this.member = b.rerouting.workerId();
    this.currentRouting = b.rerouting.currentFingerprint();
    this.uncommitted = b.metrics.uncommitted(member);
    this.waitingGauge = b.metrics.waiting(member);
    Properties c = KafkaClients.consumer(b.bootstrap, "delivery", b.topics.settings().topicPrefix() + "-delivery", member);
    // A stop or a rebalance waits for the messages in flight (bounded by FINISH_IN_FLIGHT).
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, b.maxInFlight));
    this.consumer = new KafkaConsumer<>(c);
    this.sends = new AcknowledgedSends(new KafkaProducer<>(KafkaClients.producer(b.bootstrap, ClientName.worker("delivery-outcomes", member), Duration.ofSeconds(60))));
    this.producer = sends.producer();
    this.bodies = new BodyReader(b.bootstrap, ClientName.worker("delivery-bodies", member), b.topics, Duration.ofSeconds(30));
    this.largeBodies = new BodyReader(b.bootstrap, ClientName.worker("delivery-large-bodies", member), b.topics, Duration.ofSeconds(30));
    this.deadLetters = new DeadLetters(producer, b.topics, b.metrics.registry());
    this.store = b.store;
    this.changelog = new RetryChangelog(producer, b.bootstrap, ClientName.worker("retry-restore", member), b.topics.retryState());
    this.recorder = new OutcomeRecorder(producer, b.topics.outcomes(), b.store, changelog, b.policy, b.bounces, bodies,
        b.metrics, () -> {
          producer.flush();
          sends.check();
        });
    this.handBack = new RouteHandBack(b.bootstrap, b.topics, member, b.store);
  }


  @Override
  public void run() {
    try {
      handBack.start();
      consumer.subscribe(List.of(topics.routed()), new Rebalance());
      while (running) {
        try {
          step();
          backoff = Duration.ZERO;
        } catch (WakeupException | InterruptException | AuthorizationException | AuthenticationException e) {
          throw e;
        } catch (KafkaException e) {
          // The broker did not take an outcome, retry state, DSN or commit: nothing since the last
          // commit counts, so read it again once Kafka answers. Mail already handed to its next
          // hop may go out twice (at least once, never lost).
          backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
          log.warn("delivery not recorded ({}); again from the last commit in {}s", e.toString(), backoff.toSeconds());
          rewind();
          sleep(backoff);
        }
      }
      finishInFlight(null);
      commitNow();
    } finally {
      // Whatever ends the loop other than close() propagates: the worker's runner logs it and
      // starts another.
      consumer.close(KafkaClients.LEAVE);
      producer.close(Duration.ofSeconds(5));
      handBack.close();
      bodies.close();
      largeBodies.close();
    }
  }

  private void step() {
    record();
    startWaiting();
    waitingGauge.set(shares.waiting());
    admit();
    boolean busy = inFlight > 0 || retriesInFlight > 0 || recordedSinceCommit > 0 || commitsInFlight > 0;
    ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(busy ? 5 : 100));
    // The consumer is past the whole batch now: a rewind while it is handled must read again
    // every partition it holds, those not reached yet included.
    for (TopicPartition tp : batch.partitions()) {
      tracker.polled(tp, batch.records(tp).get(0).offset());
    }
    for (ConsumerRecord<String, byte[]> record : batch) {
      if (!running) {
        break; // Not started, not committed: the next owner reads them.
      }
      handle(record);
    }
    record();
    obeyOrders();
    retryDue();
    if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL_NANOS || recordedSinceCommit >= MAX_RECORDED_BEFORE_COMMIT) {
      commit();
    }
  }

  /** Records what finished; a message that failed ends the worker once the rest is committed. */
  private void record() {
    Completion c;
    while ((c = completions.poll()) != null) {
      finish(c);
    }
    if (failed != null) {
      RecordFailedException e = failed;
      finishInFlight(null);
      commitNow();
      throw e;
    }
  }

  /**
   * Pauses polling while the messages in flight fill the budget, or those waiting for their
   * destination's share are four budgets' worth; resumes when there is room.
   */
  private void admit() {
    boolean full = inFlight >= maxInFlight || bytesInFlight >= MAX_BYTES_IN_FLIGHT || shares.waiting() >= 4 * maxInFlight;
    if (full && paused.isEmpty()) {
      paused.addAll(consumer.assignment());
      consumer.pause(paused);
    } else if (!full && !paused.isEmpty()) {
      paused.retainAll(consumer.assignment());
      consumer.resume(paused);
      paused.clear();
    }
  }

  /**
   * Commits, without waiting for the answer, the offsets up to the last contiguous finished record
   * of each partition whose outcomes, retry state and notices Kafka has acknowledged, beyond what
   * the commits under way ask for. The worker does not stop to flush: it goes on recording while
   * the sends and the commits are under way, so a delivery is committed about one acknowledgement
   * and one commit after it finished, and a crash makes the next owner repeat no more than that
   * (the {@code mailstream.delivery.uncommitted} gauge shows how many that is at any moment).
   */
  private void commit() {
    lastCommitNanos = System.nanoTime();
    long stored = sends.storedUpTo();
    sends.check();
    confirmEntries(stored);
    uncommitted.set(tracker.uncommitted());
    if (commitsInFlight >= MAX_COMMITS_IN_FLIGHT) {
      recordedSinceCommit = 0; // the commits under way are answered in a later poll; no need to ask every step
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(stored);
    offsets.keySet().retainAll(consumer.assignment());
    if (offsets.isEmpty()) {
      recordedSinceCommit = 0;
      return;
    }
    int gen = generation;
    long askedAt = System.nanoTime();
    tracker.asked(offsets);
    commitsInFlight++;
    try {
      consumer.commitAsync(offsets, (done, e) -> {
        // Called on this worker's thread, from a later poll or commit.
        commitsInFlight--;
        metrics.committed(System.nanoTime() - askedAt);
        if (gen != generation) {
          return; // A rewind since: those records are read again from the committed offsets.
        }
        if (e == null) {
          tracker.committed(offsets);
          commitRefusedLogged = false;
        } else {
          tracker.refused(offsets); // the next commit asks for them again
          commitRefused(e);
        }
      });
    } catch (RuntimeException e) {
      commitsInFlight--; // refused before it was sent (a fenced member): no answer will come
      tracker.refused(offsets);
      throw e;
    }
    recordedSinceCommit = 0;
  }

  /**
   * A commit the group coordinator did not take. During a rebalance (cooperative: this member goes
   * on working while the group moves some partitions) and on a coordinator that moves, the offsets
   * stay pending and the next commit takes them; otherwise this member has left the group and its
   * partitions' next owner repeats what was not committed. Logged once until a commit succeeds.
   */
  private void commitRefused(Exception e) {
    if (!commitRefusedLogged) {
      commitRefusedLogged = true;
      log.info("delivery worker {}: offset commit refused ({}); {}", member, e.toString(),
          e instanceof RebalanceInProgressException || e instanceof RetriableException
              ? "the next commit takes them"
              : "what was not committed may be delivered again by the partitions' next owner");
    }
  }

  /**
   * Flushes the producer and commits what is finished, waiting for the answer: before partitions
   * leave this worker and when it stops.
   */
  private void commitNow() {
    producer.flush();
    long stored = sends.storedUpTo();
    sends.check();
    confirmEntries(stored);
    tracker.askAgain(); // this commit covers everything finished, whatever the ones under way ask
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(stored);
    offsets.keySet().retainAll(consumer.assignment());
    if (!offsets.isEmpty()) {
      long askedAt = System.nanoTime();
      try {
        consumer.commitSync(offsets);
      } catch (RebalanceInProgressException e) {
        // The offsets stay pending; the rebalance under way commits for the partitions that leave
        // (onPartitionsRevoked) and the next commit takes the rest.
        commitRefused(e);
        return;
      }
      metrics.committed(System.nanoTime() - askedAt);
      tracker.committed(offsets);
    }
    uncommitted.set(tracker.uncommitted());
    recordedSinceCommit = 0;
  }

  /** Forgets the retry entries whose sends, up to number {@code stored}, Kafka has acknowledged. */
  private void confirmEntries(long stored) {
    unconfirmedEntries.values().forEach(keys -> keys.values().removeIf(send -> send <= stored));
    unconfirmedEntries.values().removeIf(Map::isEmpty);
  }

  /** Forgets everything since the last commit and reads it again. */
  private void rewind() {
    // The completions of attempts in flight are not recorded: their messages are read again.
    generation++;
    failed = null;
    retrying.clear();
    shares.forget(w -> true);
    // Their outcomes will not be recorded: those still waiting for a connection must not go out.
    underway.values().forEach(attempts -> attempts.forEach(Withdrawal::withdraw));
    recordedSinceCommit = 0;
    // The changelog may have taken some of them; a tombstone keeps a later owner from restoring
    // an entry that reading again may never create (if the next attempt delivers).
    unconfirmedEntries.keySet().retainAll(owned);
    unconfirmedEntries.forEach((partition, keys) -> keys.keySet().forEach(key -> {
      store.remove(partition, key);
      changelog.remove(partition, key);
    }));
    unconfirmedEntries.clear();
    for (TopicPartition tp : tracker.partitions()) {
      if (!consumer.assignment().contains(tp)) {
        tracker.forget(tp);
        continue;
      }
      long at = tracker.rewindTo(tp);
      if (at >= 0) {
        consumer.seek(tp, at);
      }
      tracker.rewound(tp);
    }
  }

  /**
   * Withdraws the attempts of {@code partitions} (every partition when null) that have not begun
   * their transaction, then waits for the others and records them, up to {@link #FINISH_IN_FLIGHT}.
   * A withdrawn message is read again by whoever owns its partition next, without having gone out.
   */
  private void finishInFlight(Set<Integer> partitions) {
    underway.forEach((p, attempts) -> {
      if (partitions == null || partitions.contains(p)) {
        attempts.forEach(Withdrawal::withdraw);
      }
    });
    long deadline = System.nanoTime() + FINISH_IN_FLIGHT.toNanos();
    while (underwayIn(partitions) > 0 && System.nanoTime() < deadline) {
      try {
        Completion c = completions.poll(100, TimeUnit.MILLISECONDS);
        if (c != null) {
          finish(c);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    int left = underwayIn(partitions);
    if (left > 0) {
      log.warn("{} deliveries still in flight after {}; their messages will be attempted again", left,
          DurationText.format(FINISH_IN_FLIGHT));
    }
  }

  private int underwayIn(Set<Integer> partitions) {
    int n = 0;
    for (Map.Entry<Integer, Set<Withdrawal>> e : underway.entrySet()) {
      if (partitions == null || partitions.contains(e.getKey())) {
        n += e.getValue().size();
      }
    }
    return n;
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
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    tracker.started(tp, record.offset());
    if (tracker.finishedBefore(tp, record.offset())) {
      // Its previous owner finished it past a message that held back the committed offset.
      metrics.finishedBefore();
      done(tp, record);
      return;
    }
    Optional<String> givenUp = failures.exhausted(record);
    if (givenUp.isPresent()) {
      deadLetters.send(record, givenUp.get());
      done(tp, record);
      return;
    }
    Optional<RecipientRouted> decoded = deadLetters.decode(record, RecipientRouted.class);
    if (decoded.isEmpty()) {
      done(tp, record);
      return;
    }
    RecipientRouted routed = decoded.get();
    if (deliveredBefore(tp, record.offset(), routed)) {
      log.info("{}: delivered by the partition's previous owner after its last commit; not sent again", routed.queueId());
      metrics.finishedBefore();
      done(tp, record);
      return;
    }
    if (store.get(record.partition(), RetryEntry.keyOf(routed)).isPresent()) {
      // Already attempted and waiting for its retry: this record was redelivered after a crash.
      done(tp, record);
      return;
    }
    if (shares.take(routed.destination())) {
      begin(tp, record, routed);
    } else {
      shares.await(routed.destination(), new Waiting(record, routed));
    }
  }

  /**
   * Whether the previous owner of {@code tp} delivered {@code routed} to every recipient after its
   * last commit. A delivery is known by queue id and address: the rules give one address one
   * destination, and a hand-back to the router takes only the recipients not delivered.
   */
  private boolean deliveredBefore(TopicPartition tp, long offset, RecipientRouted routed) {
    Long before = lookUpBefore.get(tp);
    if (before == null) {
      return false;
    }
    if (offset >= before) {
      stopLookingUp(tp);
      return false;
    }
    return storedDeliveries.all(routed);
  }

  private void stopLookingUp(TopicPartition tp) {
    lookUpBefore.remove(tp);
    if (lookUpBefore.isEmpty()) {
      storedDeliveries = StoredDeliveries.NONE;
    }
  }

  /**
   * Starts the first attempt of a fresh message that has its destination's share, unless the
   * administrator deleted or held it meanwhile (it may have waited for its share).
   */
  private void begin(TopicPartition tp, ConsumerRecord<String, byte[]> record, RecipientRouted routed) {
    if (control.deleted(routed.queueId())) {
      shares.release(routed.destination());
      log.info("{}: deleted by the administrator; not attempted", routed.queueId());
      done(tp, record);
      return;
    }
    if (control.held(routed.queueId())) {
      shares.release(routed.destination());
      holdBack(record.partition(), routed);
      done(tp, record);
      return;
    }
    start(record, record.partition(), routed, null, 1);
  }

  /**
   * Starts the messages that waited for their destination's share and have it now, as the budget
   * allows. Only here, on the worker's loop: a stop or a revocation finishes what is in flight
   * without starting more.
   */
  private void startWaiting() {
    if (shares.waiting() == 0 || failed != null) {
      return;
    }
    // One at a time: a start that throws leaves no other waiting message holding a slot.
    while (inFlight < maxInFlight) {
      List<Waiting> next = shares.ready(1);
      if (next.isEmpty()) {
        return;
      }
      Waiting w = next.get(0);
      begin(new TopicPartition(w.record().topic(), w.record().partition()), w.record(), w.routed());
    }
  }

  /** A record finished without an attempt (dead-lettered, undecodable, already deferred). */
  private void done(TopicPartition tp, ConsumerRecord<String, byte[]> record) {
    tracker.finished(tp, record.offset(), sends.lastSent());
    recordedSinceCommit++;
  }

  /**
   * Starts an attempt; it completes on the mailer's thread and is recorded on this one. A small
   * body is read now, so that the transaction never blocks; a large one while it is sent.
   */
  private void start(ConsumerRecord<String, byte[]> record, int partition, RecipientRouted routed, RetryEntry previous,
      int attempt) {
    long startedAt = System.currentTimeMillis();
    long bytes = Math.max(0, routed.message().body().size());
    Withdrawal withdrawal = new Withdrawal();
    CompletableFuture<TransactionResult> result;
    try {
      result = routed.destination().isReroute()
          ? CompletableFuture.completedFuture(routingDeferred(routed))
          : deliver(routed, withdrawal);
    } catch (RuntimeException e) {
      // Kafka did not give the body (a broker outage): nothing started, the rewind reads it again.
      if (record != null) {
        shares.release(routed.destination());
      }
      throw e;
    }
    // Completions are recorded on this thread, so these are in place before any is.
    delivering.merge(routed.queueId(), 1, Integer::sum);
    underway.computeIfAbsent(partition, p -> Collections.newSetFromMap(new IdentityHashMap<>())).add(withdrawal);
    if (record == null) {
      retriesInFlight++;
    } else {
      inFlight++;
    }
    bytesInFlight += bytes;
    int gen = generation;
    result.whenComplete((r, e) -> completions.add(
        new Completion(record, partition, routed, previous, attempt, startedAt, bytes, gen, withdrawal, r, e)));
    if (result.isCompletedExceptionally() && record != null) {
      record(); // A mailer that threw at once: nothing behind it in the batch is started.
    }
  }

  private CompletableFuture<TransactionResult> deliver(RecipientRouted routed, Withdrawal withdrawal) {
    BodySource body;
    try {
      body = routed.message().body().store() == BodyRef.Store.CHUNKS
          ? new StoredBody(largeBodies, routed)
          : StoredBody.inMemory(bodies, routed);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(unreadable(routed, e));
    }
    OutboundMessage message = new OutboundMessage(routed.queueId(), routed.envelopeSender(), routed.recipients(),
        routed.message().receivedHeader(), body, routed.message().dsn());
    try {
      return mailers.apply(routed).deliverAsync(routed.destination(), message, withdrawal);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Records a finished attempt, on this worker's thread. */
  private void finish(Completion c) {
    if (c.record() == null) {
      retriesInFlight--;
      retrying.remove(c.partition() + "/" + RetryEntry.keyOf(c.routed()));
    } else {
      inFlight--;
      shares.release(c.routed().destination());
    }
    bytesInFlight -= c.bytes();
    delivering.computeIfPresent(c.routed().queueId(), (id, n) -> n == 1 ? null : n - 1);
    Set<Withdrawal> same = underway.get(c.partition());
    if (same != null && same.remove(c.withdrawal()) && same.isEmpty()) {
      underway.remove(c.partition());
    }
    if (c.error() != null && Withdrawal.isWithdrawn(c.error())) {
      return; // Taken back before its transaction began: not attempted, read (or retried) again.
    }
    if (c.generation() != generation || !owned.contains(c.partition())) {
      return; // Given up on by a rewind or a lost partition: read again, attempted again.
    }
    RuntimeException error = c.error() == null ? null
        : c.error() instanceof RuntimeException r ? r : new IllegalStateException(c.error());
    if (error instanceof CompletionException && error.getCause() instanceof RuntimeException r) {
      error = r;
    }
    if (error == null) {
      try {
        attempts.incrementAndGet();
        recorder.record(c.partition(), c.routed(), c.previous(), c.attempt(), c.result(), c.startedAt(),
            System.currentTimeMillis());
        recordedSinceCommit++;
      } catch (KafkaException e) {
        throw e;
      } catch (RuntimeException e) {
        error = e;
      }
    }
    if (c.record() == null) {
      if (error != null) {
        // The entry stays due; the next round tries it again.
        log.warn("{}: retry failed: {}", c.routed().queueId(), error.toString());
      }
      return;
    }
    if (error != null) {
      failures.failed(c.record(), error);
      if (failed == null) {
        failed = new RecordFailedException(c.record(), c.routed().queueId(), error);
      }
      return;
    }
    failures.succeeded(c.record());
    String key = RetryEntry.keyOf(c.routed());
    if (store.get(c.partition(), key).isPresent()) {
      unconfirmedEntries.computeIfAbsent(c.partition(), p -> new HashMap<>()).put(key, sends.lastSent());
    }
    tracker.finished(new TopicPartition(c.record().topic(), c.partition()), c.record().offset(), sends.lastSent());
  }

  /**
   * Attempts what is due, in the retry lane (its own in-flight budget), except recipients whose
   * routing is out of date: routed under rules that have changed since (sendmail routes again on
   * every queue run), or not placed by the router yet. Those go back to the router, which gives
   * them their destination under the rules in force.
   */
  private void retryDue() {
    long nowNanos = System.nanoTime();
    if (nowNanos - lastRetryRoundNanos < RETRY_ROUND_NANOS || retriesInFlight >= maxRetriesInFlight || failed != null) {
      return;
    }
    lastRetryRoundNanos = nowNanos;
    long now = System.currentTimeMillis();
    String routing = currentRouting.get();
    for (int partition : owned) {
      for (RetryEntry entry : store.due(partition, now, maxRetriesInFlight + retriesInFlight)) {
        if (!running || retriesInFlight >= maxRetriesInFlight) {
          return;
        }
        RecipientRouted routed = entry.routed();
        String key = partition + "/" + RetryEntry.keyOf(routed);
        if (retrying.contains(key)) {
          continue;
        }
        if (control.deleted(routed.queueId())) {
          drop(partition, entry);
          continue;
        }
        if (control.held(routed.queueId())) {
          reschedule(partition, entry, now + HELD_RECHECK.toMillis());
          continue;
        }
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
        retrying.add(key);
        start(null, partition, routed, entry, entry.attempts() + 1);
      }
    }
  }

  /**
   * A held message's first attempt waits in the retry state, without an attempt or an outcome,
   * until it is released (which makes it due at once) or the hold is looked at again.
   */
  private void holdBack(int partition, RecipientRouted routed) {
    long now = System.currentTimeMillis();
    RetryEntry entry = new RetryEntry(routed, 0, now, now + HELD_RECHECK.toMillis(), HELD, null);
    store.put(partition, entry);
    changelog.put(partition, entry);
    unconfirmedEntries.computeIfAbsent(partition, p -> new HashMap<>()).put(entry.key(), sends.lastSent());
    log.info("{}: held by the administrator; not attempted until released", routed.queueId());
  }

  /** Takes the administrators' new orders and applies those about retry state to this worker's partitions. */
  private void obeyOrders() {
    if (control.end() == controlCursor) {
      return;
    }
    QueueControl.Orders taken = control.since(controlCursor);
    controlCursor = taken.next();
    long now = System.currentTimeMillis();
    for (QueueCommand order : taken.orders()) {
      Set<String> ids = Set.copyOf(order.queueIds());
      for (int partition : owned) {
        for (RetryEntry entry : store.all(partition)) {
          String id = entry.routed().queueId();
          if (ids.contains(id)) {
            obey(order.verb(), partition, entry, now);
          }
        }
      }
    }
  }

  private void obey(QueueCommand.Verb verb, int partition, RetryEntry entry, long now) {
    String id = entry.routed().queueId();
    switch (verb) {
      case DELETE -> drop(partition, entry);
      case RELEASE, FLUSH -> {
        if (!control.held(id)) {
          reschedule(partition, entry, now);
        }
      }
      case REQUEUE -> {
        if (!control.held(id) && !control.deleted(id)) {
          try {
            handBack.handBack(partition, entry, now);
          } catch (KafkaException e) {
            // The entry stays; the administrator sees it still deferred and can requeue again.
            log.warn("{}: not requeued ({})", id, e.toString());
          }
        }
      }
      case HOLD -> { }
    }
  }

  /** Removes a deleted message's retry entry: it leaves the queue without an attempt or a notice. */
  private void drop(int partition, RetryEntry entry) {
    store.remove(partition, entry.key());
    changelog.remove(partition, entry.key());
    recordedSinceCommit++; // flushed with the next commit
    log.info("{}: deleted by the administrator; {} recipient(s) leave the queue", entry.routed().queueId(),
        entry.routed().recipients().size());
  }

  private void reschedule(int partition, RetryEntry entry, long atMillis) {
    RetryEntry moved = new RetryEntry(entry.routed(), entry.attempts(), entry.firstAttemptAtMillis(), atMillis,
        entry.lastReply(), entry.lastRelay());
    store.put(partition, moved);
    changelog.put(partition, moved);
    recordedSinceCommit++;
  }

  /** Whether an attempt for {@code queueId} is under way in this worker now. */
  public boolean delivering(String queueId) {
    return delivering.containsKey(queueId);
  }

  private static TransactionResult unreadable(RecipientRouted routed, IOException e) {
    ReplyRecord reply = ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_3_0,
        "Cannot read the queued message " + routed.queueId() + ": " + e));
    return new TransactionResult(routed.destination().host(), routed.recipients().stream()
        .map(r -> new RecipientResult(r, RecipientResult.Outcome.DEFERRED, reply)).toList());
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
   * Stops: no new message is started; those in flight are finished, recorded and committed. No
   * {@code wakeup()}: it could interrupt the commit of a message already delivered, and that
   * message would then be sent again by the next owner of its partition. The short poll time-out
   * bounds the wait instead.
   */
  @Override
  public void close() {
    running = false;
  }

  /** Loads retry state for gained partitions and forgets it for lost ones. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        // A worker's first partitions are what every start does; later ones mean the group changed.
        if (!assignedBefore) {
          log.debug("delivery worker {}: partitions assigned: {}", member, partitions);
        } else {
          log.info("delivery worker {}: partitions assigned: {}", member, partitions);
        }
        assignedBefore = true;
      }
      Map<TopicPartition, OffsetAndMetadata> commits = lastCommits(partitions);
      for (TopicPartition tp : partitions) {
        store.hold(tp.partition(), DeliveryWorker.this);
        int n = changelog.restore(tp.partition(), store, Duration.ofMinutes(2));
        owned.add(tp.partition());
        if (n > 0) {
          log.info("{}: rebuilt {} deferred deliveries from the changelog", tp, n);
        }
        OffsetAndMetadata last = commits.get(tp);
        FinishedOffsets finished = tracker.resume(tp, last);
        if (!finished.isEmpty()) {
          log.info("{}: offsets {} past the committed {} were finished by the partition's previous owner; "
              + "not delivered again", tp, finished, last.offset());
        }
      }
      lookUpDeliveries(commits);
    }

    /**
     * Reads the deliveries stored since the last commits of the partitions gained (a crashed owner
     * recorded them but did not commit them), unless nothing of those partitions is left to read.
     */
    private void lookUpDeliveries(Map<TopicPartition, OffsetAndMetadata> commits) {
      Map<TopicPartition, Long> moments = new HashMap<>();
      Map<TopicPartition, Long> committed = new HashMap<>();
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : commits.entrySet()) {
        long asOf = e.getValue() == null ? -1 : FinishedOffsets.parse(e.getValue().metadata(), e.getValue().offset()).asOf();
        if (asOf >= 0) {
          moments.put(e.getKey(), asOf);
          committed.put(e.getKey(), e.getValue().offset());
        }
      }
      if (committed.isEmpty()) {
        return; // no commit of a delivery worker: nothing to start from
      }
      try {
        Map<TopicPartition, Long> ends = consumer.endOffsets(committed.keySet(), Duration.ofSeconds(30));
        Map<TopicPartition, Long> unread = new HashMap<>();
        ends.forEach((tp, end) -> {
          if (end > committed.get(tp)) {
            unread.put(tp, end);
          }
        });
        if (unread.isEmpty()) {
          return;
        }
        // A live worker commits every partition it owns at least every OffsetTracker.REFRESH, so
        // the look-up reads about that much more than what happened between the crash and now.
        long since = unread.keySet().stream().mapToLong(moments::get).min().orElseThrow();
        long from = since - SEND_SLACK.toMillis();
        long started = System.nanoTime();
        StoredDeliveries found = StoredDeliveries.read(bootstrap, ClientName.worker("delivery-lookup", member),
            topics.outcomes(), from, Duration.ofSeconds(30));
        lookUpBefore.putAll(unread);
        storedDeliveries = storedDeliveries.and(found);
        log.info("delivery worker {}: {} deliveries stored since the last commits of {} (read in {} ms); "
            + "a message delivered to every recipient is not sent again", member, found.size(), unread.keySet(),
            Duration.ofNanos(System.nanoTime() - started).toMillis());
      } catch (WakeupException | InterruptException e) {
        throw e;
      } catch (KafkaException e) {
        log.warn("delivery worker {}: deliveries since the last commits not read ({}); messages delivered after "
            + "them are sent again", member, e.toString());
      }
    }

    /**
     * The partitions' last commits, with what each lists as finished past its offset. Without an
     * answer, nothing is taken as finished past the offset: those messages go out again.
     */
    private Map<TopicPartition, OffsetAndMetadata> lastCommits(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return Map.of();
      }
      try {
        Map<TopicPartition, OffsetAndMetadata> commits = consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30));
        return commits == null ? Map.of() : commits;
      } catch (WakeupException | InterruptException e) {
        throw e;
      } catch (KafkaException e) {
        log.warn("delivery worker {}: last commits of {} not read ({}); messages finished past them are delivered again",
            member, partitions, e.toString());
        return Map.of();
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      log.info("delivery worker {}: partitions revoked: {}", member, partitions);
      // What is under way is finished and committed while the partitions are still ours (a
      // worker that stops has usually finished it already; a stop during a rebalance has not).
      finishInFlight(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
      try {
        Completion c;
        while ((c = completions.poll()) != null) {
          finish(c);
        }
        commitNow();
      } finally {
        // Gone whether or not the commit was taken: their next owner reads what was not committed.
        forget(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      log.warn("delivery worker {}: partitions lost (its group session ended; what was not committed is read "
          + "again by their next owner): {}", member, partitions);
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        // Their retry entries are their next owner's now (on this node, in the same store): a
        // rewind of this worker must not tombstone them.
        unconfirmedEntries.remove(tp.partition());
        shares.forget(w -> w.record().partition() == tp.partition());
        // Lost without a revocation: their outcomes will not be recorded, so those still waiting
        // for a connection must not go out (the next owner sends them).
        underway.getOrDefault(tp.partition(), Set.of()).forEach(Withdrawal::withdraw);
        owned.remove(tp.partition());
        store.release(tp.partition(), DeliveryWorker.this);
        tracker.forget(tp);
        stopLookingUp(tp);
        paused.remove(tp);
      }
    }
  }
}
