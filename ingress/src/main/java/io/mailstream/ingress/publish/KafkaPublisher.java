package io.mailstream.ingress.publish;

import io.mailstream.queue.publish.AcceptedRecords;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes accepted mail to Kafka: a small body inside its {@code MessageAccepted} record, a
 * large one as chunks to the bodies topic, then {@code MessageAccepted} to the accepted topic, on
 * one partition per message chosen by queue-store's {@link AcceptedRecords} (as every stage that
 * queues a message does). The accepted record is the commit point.
 *
 * <p>One producer serves every session: its batching across sessions is the group commit. {@code
 * send} can block (metadata, full buffer) up to {@code max.block.ms}, so all sends run on one
 * dedicated thread, never on an event loop; one thread also keeps each message's chunks in order.
 */
public final class KafkaPublisher implements MessagePublisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<String, byte[]> producer;
  private final AcceptedRecords records;
  private final ExecutorService sender;
  // How long a record may wait for its acknowledgement; null: as long as the producer says.
  private final Duration deadline;
  private QueueProbe probe;

  /** Uses {@code producer}, which the publisher closes on {@link #close}. */
  public KafkaPublisher(Producer<String, byte[]> producer, Topics topics) {
    this(producer, topics, null);
  }

  /**
   * As above; a record not acknowledged within {@code deadline} (and a second's grace) fails.
   * The producer's own delivery time-out is the same deadline, but, as Kafka's Sender reads, it does
   * not cover every wait: an idempotent producer that lost its broker before it got its producer id
   * does not expire its batches while it waits for one. A session must still get its 451 within
   * the deadline (BrokerOutageTest hung twice, each time with the broker gone 0.8 s after start). Such a record may still be written later: for a chunk that is
   * an unreferenced chunk; for the accepted record, a message the client was told 451 for and may
   * send again, the duplicate SMTP allows after a 4xx to the final dot, never a loss.
   */
  KafkaPublisher(Producer<String, byte[]> producer, Topics topics, Duration deadline) {
    this.producer = producer;
    this.deadline = deadline == null ? null : deadline.plusSeconds(1);
    this.records = new AcceptedRecords(topics);
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mailstream-publish");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A publisher with its own producer ({@link KafkaClients#producer}), bounded by the accept
   * deadline.
   */
  public static KafkaPublisher create(String bootstrap, Topics topics, Duration acceptDeadline) {
    KafkaPublisher publisher =
        new KafkaPublisher(new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("ingress"), acceptDeadline)), topics, acceptDeadline);
    publisher.probe = new QueueProbe(bootstrap, Duration.ofSeconds(1));
    return publisher;
  }

  @Override
  public boolean available() {
    return probe == null || probe.reachable();
  }

  @Override
  public BodyWriter begin(String queueId) {
    return new KafkaBodyWriter(this, queueId);
  }

  /** How this publisher's messages are laid out: the same as every other writer's. */
  AcceptedRecords records() {
    return records;
  }

  /** Sends one record from the sender thread; the future completes when it is acknowledged. */
  CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
    if (deadline != null) {
      acked.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      sender.execute(() -> sendNow(record, acked));
    } catch (RejectedExecutionException e) {
      acked.completeExceptionally(new IllegalStateException("publisher closed", e));
    }
    return acked;
  }

  private void sendNow(ProducerRecord<String, byte[]> record, CompletableFuture<RecordMetadata> acked) {
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error != null) {
              if (probe != null) {
                probe.suspect();
              }
              acked.completeExceptionally(error);
            } else {
              acked.complete(metadata);
            }
          });
    } catch (RuntimeException e) {
      acked.completeExceptionally(e);
    }
  }

  /** Sends what is queued, then closes the producer; later sends fail. */
  @Override
  public void close() {
    if (probe != null) {
      probe.close();
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("publisher thread did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
