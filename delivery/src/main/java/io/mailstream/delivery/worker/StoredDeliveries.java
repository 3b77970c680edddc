package io.mailstream.delivery.worker;

import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.queue.codec.CodecException;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipients whose delivery is stored on the outcomes topic since a given moment. A worker
 * that crashed after recording a delivery but before a commit covered it left the delivery's
 * outcome behind; the partition's next owner reads the outcomes once, when it gains the partition,
 * from the moment of the last commit's list ({@link FinishedOffsets#asOf}) on, and does not send
 * again a message every recipient of which is in them. What a crash repeats is then, as a rule,
 * only what the next hop took before Kafka acknowledged its outcome; also, whole, a message that
 * was delivered to some recipients only, and everything when the look-up fails or runs out of time
 * (it reads the oldest first), or stops at a transaction still open on the outcomes topic.
 *
 * <p>Only {@link Delivered} counts: a deferral needs its retry entry and a bounce its notice, which
 * are other records; a delivery needs nothing else, and its attempt event, sent before it with the
 * same key, is stored before it.
 */
final class StoredDeliveries {
  private static final Logger log = LoggerFactory.getLogger(StoredDeliveries.class);
  static final StoredDeliveries NONE = new StoredDeliveries(Set.of());

  private final Set<String> delivered;

  private StoredDeliveries(Set<String> delivered) {
    this.delivered = delivered;
  }

  /**
   * Reads the deliveries stored on {@code topic} from {@code sinceMillis} (record time) to its end
   * as it is now; what {@code timeout} does not leave time to read is left out (those messages
   * would only be sent again).
   */
  static StoredDeliveries read(String bootstrap, ClientName name, String topic, long sinceMillis, Duration timeout) {
    Properties props = KafkaClients.reader(bootstrap, name);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    Set<String> delivered = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
      Map<TopicPartition, Long> since = new HashMap<>();
      for (PartitionInfo p : c.partitionsFor(topic, timeout)) {
        since.put(new TopicPartition(topic, p.partition()), sinceMillis);
      }
      Map<TopicPartition, OffsetAndTimestamp> from = c.offsetsForTimes(since, timeout);
      Map<TopicPartition, Long> end = c.endOffsets(since.keySet(), timeout);
      List<TopicPartition> toRead = new ArrayList<>();
      from.forEach((tp, at) -> {
        if (at != null && at.offset() < end.get(tp)) {
          toRead.add(tp); // null: nothing stored since
        }
      });
      c.assign(toRead);
      toRead.forEach(tp -> c.seek(tp, from.get(tp).offset()));
      while (!toRead.isEmpty()) {
        if (System.nanoTime() > deadline) {
          log.warn("outcomes since {} not read whole within {}: messages delivered in that time may be sent again",
              sinceMillis, timeout);
          break;
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.timestamp() >= sinceMillis) { // a partition's times need not rise with its offsets
            add(delivered, r);
          }
        }
        toRead.removeIf(tp -> c.position(tp) >= end.get(tp));
      }
    }
    return new StoredDeliveries(delivered);
  }

  private static void add(Set<String> delivered, ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      MailEvent e = EventCodec.decode(r.value());
      if (e instanceof Delivered d) {
        delivered.add(key(d.queueId(), d.recipient().toString()));
      }
    } catch (CodecException e) {
      // A damaged outcome says nothing of a delivery: its message is sent again.
    }
  }

  /** Whether every recipient of {@code routed} was delivered, as stored. */
  boolean all(RecipientRouted routed) {
    if (delivered.isEmpty()) {
      return false;
    }
    for (EnvelopeRecipient r : routed.recipients()) {
      if (!delivered.contains(key(routed.queueId(), r.address().toString()))) {
        return false;
      }
    }
    return true;
  }

  /** These and {@code other}'s. */
  StoredDeliveries and(StoredDeliveries other) {
    if (delivered.isEmpty()) {
      return other;
    }
    Set<String> both = new HashSet<>(delivered);
    both.addAll(other.delivered);
    return new StoredDeliveries(both);
  }

  int size() {
    return delivered.size();
  }

  private static String key(String queueId, String recipient) {
    return queueId + ' ' + recipient;
  }
}
