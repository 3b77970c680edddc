package io.mailstream.ops.queue;

import io.mailstream.core.event.QueueCommand;
import io.mailstream.queue.codec.CodecException;
import io.mailstream.queue.codec.ControlCodec;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.state.QueueControl;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the accepted, routed, outcomes and control topics from their start and follows them, on a
 * thread of its own, into this node's {@link QueueIndex} and {@link QueueControl}. A reader outside
 * any consumer group: every node reads every partition, so any node answers for the whole queue and
 * obeys every order. It only reads; the message path writes nothing for it.
 *
 * <p>At start the node waits until the control topic is read to its end ({@link #awaitControl})
 * before its delivery workers start, so that no attempt starts on a message held or deleted before
 * the node came up.
 */
public final class QueueFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueFollower.class);
  private static final Duration FORGET_EVERY = Duration.ofMinutes(10);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Topics topics;
  private final QueueIndex index;
  private final QueueControl control;
  private final Map<TopicPartition, Long> endAtStart;
  private final TopicPartition controlPartition;
  private final Thread thread;
  private final Duration retention;
  private long lastForget = System.nanoTime();
  private volatile boolean running = true;
  private volatile boolean caughtUp;
  private volatile boolean controlRead;

  /**
   * @param retention how long the topics keep mail ({@code MailRetention}): finished messages
   *     older than that are forgotten, as the topics forget them
   */
  public QueueFollower(String bootstrap, Topics topics, QueueIndex index, QueueControl control, Duration retention) {
    this.retention = retention;
    this.topics = topics;
    this.index = index;
    this.control = control;
    Properties p = KafkaClients.reader(bootstrap, ClientName.of("queue-view"));
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
    // The view may lag the pipeline by a second; it must not cost the pipeline. Without these the
    // follower fetched as soon as any of its 19 partitions had a new record, hundreds of fetches a
    // second under load, each decoded and indexed a few records at a time: the benchmark lost a
    // third of its rate (BENCHMARKS.md, "The queue view").
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1000);
    this.consumer = new KafkaConsumer<>(p);
    List<TopicPartition> parts = new ArrayList<>();
    for (String t : List.of(topics.control(), topics.accepted(), topics.routed(), topics.outcomes())) {
      for (PartitionInfo info : consumer.partitionsFor(t, Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(t, info.partition()));
      }
    }
    this.controlPartition = new TopicPartition(topics.control(), 0);
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.endAtStart = consumer.endOffsets(parts, Duration.ofSeconds(30));
    this.thread = new Thread(this::run, "mailstream-queue-follow");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          apply(r);
        }
        if (!caughtUp || !controlRead) {
          checkCaughtUp();
        }
        if (System.nanoTime() - lastForget > FORGET_EVERY.toNanos()) {
          lastForget = System.nanoTime();
          index.forget(System.currentTimeMillis() - retention.toMillis());
        }
      }
    } catch (WakeupException e) {
      // close() stops the loop.
    } catch (RuntimeException e) {
      log.error("queue follower stops; mailq and the queue orders of this node are out of date: {}", e.toString());
    } finally {
      consumer.close();
    }
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      if (r.topic().equals(topics.control())) {
        QueueCommand c = ControlCodec.decode(r.value());
        index.apply(c);
        control.apply(r.offset(), c);
      } else {
        index.apply(EventCodec.decode(r.value()), r.partition(), r.offset(), r.timestamp());
      }
    } catch (CodecException e) {
      // The stages dead-letter what they cannot read; the projection only skips it.
      log.warn("{}-{}@{}: not in the queue listing: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
    }
  }

  private void checkCaughtUp() {
    boolean all = true;
    for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) {
      boolean done = consumer.position(e.getKey()) >= e.getValue();
      if (e.getKey().equals(controlPartition) && done && !controlRead) {
        synchronized (this) {
          controlRead = true;
          notifyAll();
        }
      }
      all &= done;
    }
    caughtUp = all;
  }

  /** Whether every topic has been read up to where it ended when the node started. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Waits until the control topic is read to where it ended at start.
   *
   * @throws IllegalStateException when it is not within {@code timeout}
   */
  public synchronized void awaitControl(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!controlRead) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !thread.isAlive()) {
        throw new IllegalStateException("cannot read the control topic " + topics.control() + " within " + timeout);
      }
      wait(Math.max(1, Math.min(left / 1_000_000, 200)));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
