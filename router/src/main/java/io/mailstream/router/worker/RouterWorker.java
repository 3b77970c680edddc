package io.mailstream.router.worker;

import io.mailstream.core.config.RouterSettings;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.RerouteRequested;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.DeadLetters;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.RecordFailedException;
import io.mailstream.queue.topic.RecordFailures;
import io.mailstream.queue.topic.Topics;
import io.mailstream.router.route.HeaderSource;
import io.mailstream.router.route.Route;
import io.mailstream.router.route.Router;
import io.mailstream.router.route.RoutingPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the router's consumer group: reads MessageAccepted events, routes every recipient
 * and writes RecipientRouted events (or outcomes for routing errors). RerouteRequested events on
 * the same topic are recipients delivery handed back at a retry because the rules changed (or
 * because they could not be placed before); they are routed again with the rules of the
 * transaction.
 *
 * <p>Output and input offsets commit in one Kafka transaction, so each accepted message is routed
 * exactly once even when a worker dies mid-transaction. A transaction spans a time window ({@link
 * RouterSettings#commitInterval}, at most {@link RouterSettings#commitRecords} records) over as
 * many polls as come in it: the commit, whose markers the broker appends (and fsyncs) on every
 * partition the transaction wrote, is paid once per window rather than once per poll, and the
 * producer lingers for the window so that its records go out in few requests. An aborted
 * transaction rewinds every partition to the first record it read. When partitions move to
 * another worker, the open transaction commits first, so the new owner starts after what it
 * routed. Workers hold no state; run more of them to route more.
 *
 * <p>A message that makes routing throw (not a Kafka error) aborts the transaction and ends {@link
 * #run} with a {@link RecordFailedException} naming it; whoever runs the worker starts a new one,
 * which reads the transaction's records again. After {@link RecordFailures}' bound, the message
 * goes to the dead-letter topic instead, in the routing transaction, and the partition moves on.
 */
public final class RouterWorker implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterWorker.class);
  public static final String GROUP = "mailstream-router";
  private static final Duration IDLE_POLL = Duration.ofMillis(500);

  private final Topics topics;
  private final Function<HeaderSource, Router> router;
  private final BodyReader bodies;
  private final HeaderSource headers;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final DeadLetters deadLetters;
  private final BounceNotifier bounces;
  private final RecordFailures failures;
  private final RouterSettings settings;
  private final String workerId;
  private final RouterMetrics.Tally tally;
  private volatile boolean running = true;
  // The transaction in progress; only the worker's thread (poll and its rebalance callbacks) uses it.
  private RoutingWindow window;
  // The routed partition every record of the open transaction goes to (see routeAll).
  private int routedPartition = -1;

  /**
   * @param router makes the router for each transaction from this worker's access to stored
   *     headers; a reloaded configuration thus takes effect between transactions, never within one
   *     message
   * @param workerId stable per worker (node name and index): the transactional id derives from it
   */
  public RouterWorker(String bootstrap, Topics topics, Function<HeaderSource, Router> router, String workerId) {
    this(bootstrap, topics, router, workerId, BounceNotifier.NONE);
  }

  /**
   * @param bounces told of the recipients of each message that routing gives up on; it queues
   *     inside this worker's transaction, so a notice commits with the routing that caused it
   */
  public RouterWorker(
      String bootstrap, Topics topics, Function<HeaderSource, Router> router, String workerId, BounceNotifier bounces) {
    this(bootstrap, topics, router, workerId, bounces, new RecordFailures(RecordFailures.DEFAULT_ATTEMPTS));
  }

  /**
   * @param failures counts the messages routing failed on; it must outlive this worker (the next
   *     worker started in its place reads the same messages), so the caller keeps it
   */
  public RouterWorker(String bootstrap, Topics topics, Function<HeaderSource, Router> router, String workerId,
      BounceNotifier bounces, RecordFailures failures) {
    this(bootstrap, topics, router, workerId, bounces, failures, RouterSettings.DEFAULT);
  }

  /** @param settings how long, and over how many records, one routing transaction stays open */
  public RouterWorker(String bootstrap, Topics topics, Function<HeaderSource, Router> router, String workerId,
      BounceNotifier bounces, RecordFailures failures, RouterSettings settings) {
    this(bootstrap, topics, router, workerId, bounces, failures, settings, RouterMetrics.NONE);
  }

  /** @param metrics counts recipients routed per committed transaction, and dead letters */
  public RouterWorker(String bootstrap, Topics topics, Function<HeaderSource, Router> router, String workerId,
      BounceNotifier bounces, RecordFailures failures, RouterSettings settings, RouterMetrics metrics) {
    this.tally = metrics.tally();
    this.failures = failures;
    this.bounces = bounces;
    this.topics = topics;
    this.router = router;
    this.settings = settings;
    this.workerId = workerId;
    this.bodies = new BodyReader(bootstrap, ClientName.worker("router-bodies", workerId), topics, Duration.ofSeconds(30));
    this.headers = m -> bodies.firstChunk(m.queueId(), m.body());
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, "router", topics.settings().topicPrefix() + "-router", workerId));
    this.producer = new KafkaProducer<>(KafkaClients.transactionalProducer(
        bootstrap, ClientName.worker("router", workerId), topics.settings().topicPrefix() + "-router-" + workerId, settings.commitInterval()));
    this.deadLetters = new DeadLetters(producer, topics, metrics.registry());
  }

  @Override
  public void run() {
    try {
      producer.initTransactions();
      consumer.subscribe(List.of(topics.accepted()), new CommitBeforeRevoke());
      while (running) {
        step();
      }
      commitOnStop();
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
      commitOnStop();
    } catch (ProducerFencedException | AuthorizationException e) {
      // Fatal: another worker with our id took over, or we may not write. Stop cleanly.
      log.error("router worker stops: {}", e.toString());
    } finally {
      consumer.close(KafkaClients.LEAVE);
      producer.close(Duration.ofSeconds(5));
      bodies.close();
    }
  }

  /** One poll: routes what it brings into the open transaction, and commits that once it is due. */
  private void step() {
    try {
      ConsumerRecords<String, byte[]> records =
          consumer.poll(window == null ? IDLE_POLL : window.remaining(System.nanoTime()));
      if (!records.isEmpty()) {
        routeAll(records);
      }
      if (window != null && window.due(System.nanoTime())) {
        commit();
      }
    } catch (WakeupException | ProducerFencedException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      // Retriable: nothing of this transaction is visible downstream; read it again.
      log.warn("routing transaction aborted, will retry: {}", e.toString());
      abortAndRewind();
      pause(Duration.ofSeconds(1)); // Kafka is likely away; do not spin while it is
    } catch (RuntimeException e) {
      // A message routing failed on: nothing of the transaction becomes visible, and the worker
      // ends so that a fresh one reads its records again from the last commit.
      abortAndRewind();
      throw e;
    }
  }

  private void routeAll(ConsumerRecords<String, byte[]> records) {
    if (window == null) {
      producer.beginTransaction();
      window = new RoutingWindow(router.apply(headers), settings, System.nanoTime());
      routedPartition = nextRoutedPartition();
    }
    window.read(records);
    long now = System.currentTimeMillis();
    for (ConsumerRecord<String, byte[]> record : records) {
      route(window.router(), record, now);
    }
  }

  private void commit() {
    producer.sendOffsetsToTransaction(window.nextOffsets(), consumer.groupMetadata());
    producer.commitTransaction();
    tally.committed();
    log.debug("routing transaction committed: {} record(s)", window.records());
    window = null;
  }

  /** Asked to stop: what was routed so far commits, so the next owner does not route it again. */
  private void commitOnStop() {
    if (window == null) {
      return;
    }
    try {
      commit();
    } catch (ProducerFencedException e) {
      log.warn("routing transaction not committed at stop: {}", e.toString());
    } catch (KafkaException e) {
      log.warn("routing transaction not committed at stop, aborting it: {}", e.toString());
      abortAndRewind();
    }
  }

  /** Aborts the open transaction, if any, and reads again from its first record of each partition. */
  private void abortAndRewind() {
    if (window == null) {
      return;
    }
    RoutingWindow aborted = window;
    window = null;
    tally.clear();
    abort();
    var assigned = consumer.assignment();
    aborted.firstOffsets().forEach((tp, offset) -> {
      // A partition lost meanwhile restarts from its committed offset wherever it goes next.
      if (assigned.contains(tp)) {
        consumer.seek(tp, offset);
      }
    });
  }

  /**
   * Commits the open transaction before partitions go to another worker: it starts at the committed
   * offsets, so it would route again whatever this transaction had routed.
   */
  private final class CommitBeforeRevoke implements ConsumerRebalanceListener {
    private boolean assignedBefore;

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      log.info("router worker {}: partitions revoked: {}", workerId, partitions);
      if (window != null) {
        commit();
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        // A worker's first partitions are what every start does; later ones mean the group changed.
        if (assignedBefore) {
          log.info("router worker {}: partitions assigned: {}", workerId, partitions);
        } else {
          log.debug("router worker {}: partitions assigned: {}", workerId, partitions);
        }
        assignedBefore = true;
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      log.warn("router worker {}: partitions lost (its group session ended; its open transaction is aborted): {}",
          workerId, partitions);
      // No longer ours: their offsets cannot be committed, so none of this transaction may be.
      abortAndRewind();
    }
  }

  // After a time-out the abort itself may fail; the producer lets it be retried (KafkaProducer docs).
  // A stopping worker tries once: the coordinator aborts what is left when the next worker with this
  // transactional id starts, or when the transaction times out.
  private void abort() {
    while (true) {
      try {
        producer.abortTransaction();
        return;
      } catch (ProducerFencedException e) {
        throw e;
      } catch (KafkaException e) {
        if (!running) {
          log.warn("routing transaction not aborted at stop: {}", e.toString());
          return;
        }
        log.warn("routing transaction not aborted yet ({}); trying again", e.toString());
        pause(Duration.ofSeconds(1));
      }
    }
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void route(Router current, ConsumerRecord<String, byte[]> record, long now) {
    Optional<String> givenUp = failures.exhausted(record);
    if (givenUp.isPresent()) {
      deadLetters.send(record, givenUp.get());
      return;
    }
    Optional<MailEvent> decoded = deadLetters.decode(record, MailEvent.class);
    if (decoded.isEmpty()) {
      return;
    }
    try {
      route(current, record, decoded.get(), now);
    } catch (KafkaException e) {
      throw e;
    } catch (RuntimeException e) {
      failures.failed(record, e);
      throw new RecordFailedException(record, decoded.get().queueId(), e);
    }
    failures.succeeded(record);
  }

  private void route(Router current, ConsumerRecord<String, byte[]> record, MailEvent event, long now) {
    RoutingPlan plan = plan(current, event, now);
    if (plan == null) {
      deadLetters.send(record, "not a MessageAccepted or RerouteRequested event: " + event.getClass().getSimpleName());
      return;
    }
    MessageAccepted message = event instanceof RerouteRequested again ? again.routed().message() : (MessageAccepted) event;
    // The plan reads the header from a body that came inline; what goes downstream refers to this
    // record instead of copying the body into every routed event (a rerouted message already does).
    MessageAccepted stored = message.storedAt(record.partition(), record.offset());
    for (RecipientRouted planned : plan.routed()) {
      // The router may have rewritten, for this destination, the From the ingress added to a
      // local submission (it travels with the trace field): that text goes on with the record's
      // reference.
      RecipientRouted routed = Objects.equals(planned.message().receivedHeader(), message.receivedHeader())
          ? planned.withMessage(stored)
          : planned.withMessage(stored.withReceivedHeader(planned.message().receivedHeader()));
      String key = message.queueId() + "|" + routed.destination().key();
      producer.send(new ProducerRecord<>(topics.routed(), routedPartition, key, EventCodec.encode(routed)));
      tally.routed(routed.destination(), routed.recipients().size());
      log.debug("{}: routed {} recipient(s) to {}", message.queueId(), routed.recipients().size(), routed.destination().key());
    }
    List<BounceNotifier.Failure> failed = new ArrayList<>();
    for (Route.Error error : plan.errors()) {
      Bounced outcome = outcome(message, error, now);
      producer.send(new ProducerRecord<>(topics.outcomes(), message.queueId(), EventCodec.encode(outcome)));
      log.info("{}: to={}, stat={}", message.queueId(), error.recipient().address().bracketed(), error.reply());
      failed.add(new BounceNotifier.Failure(error.recipient(), outcome));
      tally.refused(1);
    }
    if (!failed.isEmpty()) {
      bounces.bounced(message, failed, bodies, producer);
    }
  }

  /** What to write for an event of the accepted topic; null for an event that does not belong there. */
  private static RoutingPlan plan(Router current, MailEvent event, long now) {
    if (event instanceof MessageAccepted m) {
      return current.plan(m, now);
    }
    if (!(event instanceof RerouteRequested again)) {
      return null;
    }
    if (!again.fromTheStart()) {
      return current.routeAgain(again.routed(), now);
    }
    // The router could not place these recipients before: route them as if they had just arrived.
    MessageAccepted m = again.routed().message();
    return current.plan(new MessageAccepted(m.queueId(), m.acceptedAtMillis(), m.sender(), again.routed().recipients(),
        m.client(), m.messageId(), m.receivedHeader(), m.body(), m.dsn()), now);
  }

  /**
   * The routed partition of the next transaction. Each transaction writes to one partition, so its
   * commit costs one marker (one fsync on the embedded broker) however many messages it routed;
   * the next transaction takes the next partition, so over time one smart host's traffic spreads
   * over every partition, and so over every delivery worker, while one message's recipients for a
   * destination stay in one event. Workers start at different partitions.
   */
  private int nextRoutedPartition() {
    int partitions = producer.partitionsFor(topics.routed()).size();
    if (routedPartition < 0) {
      return Math.floorMod(workerId.hashCode(), partitions);
    }
    return (routedPartition + 1) % partitions;
  }

  /** Routing errors reach here only when permanent; temporary ones are rerouted later. */
  private static Bounced outcome(MessageAccepted message, Route.Error error, long now) {
    return new Bounced(message.queueId(), error.recipient().address(), message.sender(), "", error.reply(), now);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
