package io.mailstream.queue.state;

import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The compacted topic that makes the retry state durable. Changes for routed-topic partition
 * {@code p} go to changelog partition {@code p}, so whoever owns {@code p} finds its state in one
 * place (the scheme Kafka Streams uses for its state stores).
 */
public final class RetryChangelog {
  private final Producer<String, byte[]> producer;
  private final String bootstrap;
  private final String topic;
  private final ClientName name;

  /** @param name the Kafka client's name of the reader a {@link #restore} uses */
  public RetryChangelog(Producer<String, byte[]> producer, String bootstrap, ClientName name, String topic) {
    this.producer = producer;
    this.bootstrap = bootstrap;
    this.name = name;
    this.topic = topic;
  }

  /** Records {@code entry} for {@code partition}; acknowledged once the returned future completes. */
  public Future<RecordMetadata> put(int partition, RetryEntry entry) {
    return producer.send(new ProducerRecord<>(topic, partition, entry.key(), EventCodec.encodeRetry(entry)));
  }

  /** Records that {@code key} left the queue (a tombstone, removed by compaction). */
  public Future<RecordMetadata> remove(int partition, String key) {
    return producer.send(new ProducerRecord<>(topic, partition, key, null));
  }

  /**
   * Rebuilds the store's view of {@code partition} from the changelog, from its start to its current
   * end. Next-attempt and expiry times come back as they were written.
   *
   * @return the number of entries the partition holds afterwards
   */
  public int restore(int partition, RetryStore store, Duration timeout) {
    store.clear(partition);
    TopicPartition tp = new TopicPartition(topic, partition);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(bootstrap, name))) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      Map<TopicPartition, Long> end = c.endOffsets(List.of(tp), timeout);
      long target = end.get(tp);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (c.position(tp, timeout) < target) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("restoring retry state of " + tp + " took longer than " + timeout);
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200)).records(tp)) {
          if (r.value() == null) {
            store.remove(partition, r.key());
          } else {
            store.put(partition, EventCodec.decodeRetry(r.value()));
          }
        }
      }
    }
    return store.all(partition).size();
  }
}
