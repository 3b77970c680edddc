package io.mailstream.delivery.worker;

import io.mailstream.core.envelope.MailLog;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.RerouteRequested;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.state.RetryChangelog;
import io.mailstream.queue.state.RetryEntry;
import io.mailstream.queue.state.RetryStore;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives deferred recipients back to the router instead of attempting them: their routing is out of
 * date (the rules changed since they were routed) or was never decided. The {@link
 * RerouteRequested} event and the tombstone that retires the retry entry are written in one Kafka
 * transaction: a crash before the commit leaves the entry to be handed back again, a crash after it
 * finds the entry gone from the changelog, so the router routes the recipients exactly once and
 * the old destination never gets them.
 *
 * <p>Rules belong to the router; this class only notices that they changed and hands over.
 */
final class RouteHandBack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteHandBack.class);

  private final KafkaProducer<String, byte[]> producer;
  private final RetryChangelog changelog;
  private final RetryStore store;
  private final String accepted;
  private boolean abortPending;

  RouteHandBack(String bootstrap, Topics topics, String workerId, RetryStore store) {
    this.producer = new KafkaProducer<>(KafkaClients.transactionalProducer(bootstrap, ClientName.worker("delivery-reroute", workerId),
        topics.settings().topicPrefix() + "-delivery-reroute-" + workerId));
    this.changelog = new RetryChangelog(producer, bootstrap, ClientName.worker("reroute-restore", workerId), topics.retryState());
    this.store = store;
    this.accepted = topics.accepted();
  }

  /** Registers the transactional id, aborting what a predecessor with the same id left open. */
  void start() {
    producer.initTransactions();
  }

  /**
   * Hands {@code entry}'s recipients (from routed partition {@code partition}) back to the router
   * and retires the entry.
   *
   * @throws KafkaException when Kafka did not take both: the entry stays and is handed back later
   * @throws IllegalStateException when another worker took this worker's transactional id
   */
  void handBack(int partition, RetryEntry entry, long nowMillis) {
    RecipientRouted stale = entry.routed();
    try {
      if (abortPending) {
        producer.abortTransaction();
        abortPending = false;
      }
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(accepted, stale.queueId(), EventCodec.encode(new RerouteRequested(stale, nowMillis))));
      changelog.remove(partition, entry.key());
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      throw new IllegalStateException("another delivery worker took this one's transactional id: " + e.getMessage(), e);
    } catch (KafkaException e) {
      abort();
      throw e;
    }
    store.remove(partition, entry.key());
    String why = stale.destination().isReroute() ? "routing was deferred" : "routing changed since " + stale.destination().key() + " was chosen";
    for (EnvelopeRecipient r : stale.recipients()) {
      MailLog.LOG.info("{}: to={}, delay={}, mailer={}, stat=Requeued for routing ({})", stale.queueId(),
          r.address().bracketed(), MailLog.delay(Duration.ofMillis(nowMillis - stale.message().acceptedAtMillis())),
          stale.destination().mailer(), why);
    }
  }

  // After a time-out the abort itself may fail; the producer lets it be retried before the next use.
  private void abort() {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      log.warn("hand-back transaction not aborted yet ({}); again before the next hand-back", e.toString());
      abortPending = true;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
