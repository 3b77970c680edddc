package io.mailstream.ingress.publish;

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
 * Publishes accepted mail to Kafka: body chunks to the bodies topic, then {@code MessageAccepted}
 * to the accepted topic, all keyed by queue id (so a message's chunks share one partition, in
 * order). The accepted record is the commit point.
 *
 * <p>One producer serves every session: its batching across sessions is the group commit. {@code
 * send} can block (metadata, full buffer) up to {@code max.block.ms}, so all sends run on one
 * dedicated thread, never on an event loop; one thread also keeps each message's chunks in order.
 */
public final class KafkaPublisher implements MessagePublisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<String, byte[]> producer;
  private final Topics topics;
  private final ExecutorService sender;
  private QueueProbe probe;

  /** Uses {@code producer}, which the publisher closes on {@link #close}. */
  public KafkaPublisher(Producer<String, byte[]> producer, Topics topics) {
    this.producer = producer;
    this.topics = topics;
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
        new KafkaPublisher(new KafkaProducer<>(KafkaClients.producer(bootstrap, acceptDeadline)), topics);
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

  Topics topics() {
    return topics;
  }

  /**
   * The partition for a new message's chunks and its accepted event. Messages that arrive
   * together share a partition for a short while (25 ms), then the next partition takes over: a
   * produce request then touches one partition of each topic instead of all of them, and with
   * fsync on the broker syncs each partition it touches once per request, so concurrent sessions
   * share one fsync (group commit). Over time the partitions are used evenly. Keys do not choose
   * the partition: nothing downstream needs a message's records on a partition of its own.
   */
  int stickyPartition() {
    int n = topics.settings().partitions();
    return (int) ((System.nanoTime() / STICKY_NANOS) % n);
  }

  private static final long STICKY_NANOS = 25_000_000L;

  /** Sends one record from the sender thread; the future completes when it is acknowledged. */
  CompletableFuture<RecordMetadata> send(String topic, Integer partition, String key, byte[] value) {
    CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
    try {
      sender.execute(() -> sendNow(new ProducerRecord<>(topic, partition, key, value), acked));
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
