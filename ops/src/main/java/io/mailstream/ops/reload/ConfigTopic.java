package io.mailstream.ops.reload;

import io.mailstream.queue.codec.CodecException;
import io.mailstream.queue.codec.ConfigBundle;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.TopicAdmin;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code <prefix>.config} topic: one partition, one key, compacted. Publishing appends a
 * version; its number is its offset + 1, so numbers are cluster-wide without any coordination
 * beyond the partition's order. Every node reads the topic from the start (compaction leaves the
 * current version there) and then follows it.
 */
final class ConfigTopic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigTopic.class);
  static final String KEY = "config";

  /** A version read from the topic, or one that could not be read (bundle null, with the reason). */
  record Entry(long number, ConfigBundle bundle, String unreadable) {}

  private final String bootstrap;
  private final TopicPartition partition;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private Thread follower;
  private volatile boolean running = true;

  ConfigTopic(String bootstrap, Topics topics) {
    this.bootstrap = bootstrap;
    this.partition = new TopicPartition(topics.config(), 0);
    Properties c = KafkaClients.reader(bootstrap, ClientName.of("config-reader"));
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicAdmin.CONFIG_MAX_BYTES);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, TopicAdmin.CONFIG_MAX_BYTES);
    this.consumer = new KafkaConsumer<>(c);
    this.producer = new KafkaProducer<>(producerSettings(KafkaClients.producer(bootstrap, ClientName.of("config"), Duration.ofSeconds(30))));
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /** Reads to the end of the topic as it is now; the last version there, if any. */
  Optional<Entry> readCurrent(Duration timeout) {
    long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
    Entry last = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (consumer.position(partition, timeout) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cannot read the configuration topic " + partition.topic() + " within " + timeout);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        last = entry(r);
      }
    }
    return Optional.ofNullable(last);
  }

  /** Follows the topic from where {@link #readCurrent} stopped, on a thread of its own. */
  void follow(Consumer<Entry> onVersion) {
    follower = new Thread(() -> {
      try {
        while (running) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            onVersion.accept(entry(r));
          }
        }
      } catch (WakeupException e) {
        // close() stops the loop.
      } catch (RuntimeException e) {
        log.error("configuration topic follower stops; this node keeps its current version: {}", e.toString());
      } finally {
        consumer.close();
      }
    }, "mailstream-config-follow");
    follower.setDaemon(true);
    follower.start();
  }

  private static Properties producerSettings(Properties p) {
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicAdmin.CONFIG_MAX_BYTES);
    // Map files are text: gzip (in the JDK, no native library) shrinks them several times.
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return p;
  }

  /**
   * Publishes {@code bundle} as the first version unless another node has published one first;
   * returns the first version either way. Nodes started together all find the topic empty, and
   * each would publish its own files as one more version: Kafka has no compare-and-set, so the
   * first publication goes through one transactional id shared by every node. A node that starts
   * it fences the others (any transaction of theirs is aborted, and their commit fails), reads the
   * topic again under that fence, and publishes only if it is still empty. A node fenced in turn
   * starts over, and then finds what the winner published.
   */
  Entry publishFirst(ConfigBundle bundle, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties p = producerSettings(KafkaClients.transactionalProducer(bootstrap, ClientName.of("config-first"), partition.topic() + "-first"));
    KafkaException unconfirmed = null;
    while (true) {
      try (KafkaProducer<String, byte[]> first = new KafkaProducer<>(p)) {
        first.initTransactions();
        Optional<Entry> existing = readCurrent(timeout);
        if (existing.isPresent()) {
          return existing.get();
        }
        first.beginTransaction();
        RecordMetadata m = first.send(new ProducerRecord<>(partition.topic(), 0, KEY, bundle.encode())).get(30, TimeUnit.SECONDS);
        first.commitTransaction();
        return new Entry(m.offset() + 1, bundle, null);
      } catch (ProducerFencedException | InvalidProducerEpochException e) {
        // Another node began its first publication after this one: read again (its version, or
        // the empty topic again if it was fenced in turn).
        log.debug("first configuration version: another node publishes at the same time; reading again");
      } catch (ExecutionException | TimeoutException e) {
        if (!(e.getCause() instanceof ProducerFencedException || e.getCause() instanceof InvalidProducerEpochException)) {
          throw new IllegalStateException("cannot publish to " + partition.topic() + ": " + e, e);
        }
      } catch (KafkaException e) {
        // The commit's outcome is unknown: a coordinator racing another node's fencing has answered
        // EndTxn with an unexpected error. Reading again tells (only committed records are read):
        // this version if it was committed, another node's, or the empty topic to try again.
        log.debug("first configuration version: commit not confirmed ({}); reading again", e.toString());
        unconfirmed = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing the configuration", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cannot publish the first configuration version to " + partition.topic()
            + " within " + timeout + ": " + (unconfirmed != null ? unconfirmed.toString()
                : "other nodes kept publishing at the same time"));
      }
    }
  }

  /**
   * Appends a version and returns its number once the cluster has acknowledged it.
   *
   * @throws IllegalStateException when Kafka does not acknowledge within 30 seconds
   */
  long publish(ConfigBundle bundle) {
    try {
      RecordMetadata m =
          producer.send(new ProducerRecord<>(partition.topic(), 0, KEY, bundle.encode())).get(30, TimeUnit.SECONDS);
      return m.offset() + 1;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot publish to " + partition.topic() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing the configuration", e);
    }
  }

  private static Entry entry(ConsumerRecord<String, byte[]> r) {
    try {
      return new Entry(r.offset() + 1, ConfigBundle.decode(r.value()), null);
    } catch (CodecException e) {
      return new Entry(r.offset() + 1, null, e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (follower != null) {
      consumer.wakeup();
      follower.join(Duration.ofSeconds(10).toMillis());
    } else {
      consumer.close();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
