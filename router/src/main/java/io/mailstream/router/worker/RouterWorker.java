package io.mailstream.router.worker;

import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.RerouteRequested;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.publish.BounceNotifier;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
 * because they could not be placed before); they are routed again with the rules of the batch.
 * Output and input offsets commit in one Kafka transaction, so each accepted message is routed exactly once even when a
 * worker dies mid-batch. Workers hold no state; run more of them to route more.
 *
 * <p>A message that makes routing throw (not a Kafka error) aborts the batch and ends {@link #run}
 * with a {@link RecordFailedException} naming it; whoever runs the worker starts a new one, which
 * reads the batch again. After {@link RecordFailures}' bound, the message goes to the dead-letter
 * topic instead, in the routing transaction, and the partition moves on.
 */
public final class RouterWorker implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterWorker.class);
  public static final String GROUP = "mailstream-router";

  private final Topics topics;
  private final Function<HeaderSource, Router> router;
  private final BodyReader bodies;
  private final HeaderSource headers;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final DeadLetters deadLetters;
  private final BounceNotifier bounces;
  private final RecordFailures failures;
  private volatile boolean running = true;

  /**
   * @param router makes the router for each batch from this worker's access to stored headers; a
   *     reloaded configuration thus takes effect between batches, never within one message
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
    this.failures = failures;
    this.bounces = bounces;
    this.topics = topics;
    this.router = router;
    this.bodies = new BodyReader(bootstrap, topics, Duration.ofSeconds(30));
    this.headers = m -> bodies.firstChunk(m.queueId(), m.body());
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, topics.settings().topicPrefix() + "-router"));
    this.producer =
        new KafkaProducer<>(KafkaClients.transactionalProducer(bootstrap, topics.settings().topicPrefix() + "-router-" + workerId));
    this.deadLetters = new DeadLetters(producer, topics);
  }

  @Override
  public void run() {
    try {
      producer.initTransactions();
      consumer.subscribe(List.of(topics.accepted()));
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          routeBatch(records);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (ProducerFencedException | AuthorizationException e) {
      // Fatal: another worker with our id took over, or we may not write. Stop cleanly.
      log.error("router worker stops: {}", e.toString());
    } finally {
      consumer.close();
      producer.close(Duration.ofSeconds(5));
      bodies.close();
    }
  }

  private void routeBatch(ConsumerRecords<String, byte[]> records) {
    Router current = router.apply(headers);
    long now = System.currentTimeMillis();
    producer.beginTransaction();
    try {
      for (ConsumerRecord<String, byte[]> record : records) {
        route(current, record, now);
      }
      producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      throw e;
    } catch (KafkaException e) {
      // Retriable: nothing of this batch is visible downstream; read it again from the last commit.
      log.warn("routing batch aborted, will retry: {}", e.toString());
      abort();
      rewind(records);
      pause(Duration.ofSeconds(1)); // Kafka is likely away; do not spin while it is
    } catch (RuntimeException e) {
      // A message routing failed on: nothing of the batch becomes visible, and the worker ends so
      // that a fresh one reads the batch again from the last commit.
      abort();
      throw e;
    }
  }

  // After a time-out the abort itself may fail; the producer lets it be retried (KafkaProducer docs).
  private void abort() {
    while (running) {
      try {
        producer.abortTransaction();
        return;
      } catch (ProducerFencedException e) {
        throw e;
      } catch (KafkaException e) {
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
      RecipientRouted routed = planned.withMessage(stored);
      // Keyed by message and destination: one smart host's traffic spreads over every partition,
      // and so over every delivery worker, while one message's recipients stay together.
      String key = message.queueId() + "|" + routed.destination().key();
      producer.send(new ProducerRecord<>(topics.routed(), key, EventCodec.encode(routed)));
      log.debug("{}: routed {} recipient(s) to {}", message.queueId(), routed.recipients().size(), routed.destination().key());
    }
    List<BounceNotifier.Failure> failed = new ArrayList<>();
    for (Route.Error error : plan.errors()) {
      Bounced outcome = outcome(message, error, now);
      producer.send(new ProducerRecord<>(topics.outcomes(), message.queueId(), EventCodec.encode(outcome)));
      log.info("{}: to={}, stat={}", message.queueId(), error.recipient().address().bracketed(), error.reply());
      failed.add(new BounceNotifier.Failure(error.recipient(), outcome));
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

  /** Routing errors reach here only when permanent; temporary ones are rerouted later. */
  private static Bounced outcome(MessageAccepted message, Route.Error error, long now) {
    return new Bounced(message.queueId(), error.recipient().address(), message.sender(), "", error.reply(), now);
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
      offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
    }
    return offsets;
  }

  private void rewind(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      consumer.seek(tp, records.records(tp).get(0).offset());
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
