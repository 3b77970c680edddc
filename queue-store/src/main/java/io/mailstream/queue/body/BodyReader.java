package io.mailstream.queue.body;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.codec.CodecException;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a stored message body back: a small one from the accepted record that holds it, a large
 * one from the bodies topic chunk by chunk, so that a 100 MiB message never sits whole in memory.
 * Not thread-safe (it owns a KafkaConsumer): each delivery thread has its own.
 *
 * <p>Reads are sized to what they need and what a fetch brings is not thrown away. Kafka returns
 * whole record batches, so a fetch for one accepted record brings its neighbours too: messages
 * accepted together, that the same reader is usually asked for next (routed records follow the
 * accepted ones in order). They are kept, up to {@link #CACHE_BYTES}, and a partition read in order
 * is not sought again, so that the consumer's prefetch of the next batch is kept as well. The
 * fetch of a chunked body asks for one chunk at a time ({@code max.partition.fetch.bytes}).
 */
public final class BodyReader implements AutoCloseable {
  /** Accepted records kept after a fetch brought them along, for the next reads. */
  static final int CACHE_BYTES = 8 * 1024 * 1024;

  // A partition read in order this far ahead of its position is polled forward, not sought.
  private static final long MAX_SKIP = 2_000;

  private final KafkaConsumer<String, byte[]> consumer;
  private final String bodiesTopic;
  private final String acceptedTopic;
  private final Duration timeout;
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final Map<TopicPartition, Map<Long, byte[]>> cached = new HashMap<>();
  private final LinkedHashMap<String, Integer> cacheOrder = new LinkedHashMap<>();
  private long cacheBytes;
  private TopicPartition reading;

  /** @param name its Kafka client's name: which worker reads bodies with it */
  public BodyReader(String bootstrap, ClientName name, Topics topics, Duration timeout) {
    Properties p = KafkaClients.reader(bootstrap, name);
    // One chunk (512 KiB and its record overhead) per partition fetch; several records per poll.
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, BodyChunk.MAX_SIZE + 64 * 1024);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    this.consumer = new KafkaConsumer<>(p);
    this.bodiesTopic = topics.bodies();
    this.acceptedTopic = topics.accepted();
    this.timeout = timeout;
  }

  /** Receives a message's chunks in order. */
  @FunctionalInterface
  public interface ChunkSink {
    void accept(byte[] data) throws IOException;
  }

  /**
   * The first chunk of the body: where the header section is, for the router's header rewriting
   * (a header section longer than a chunk, 512 KiB, is not rewritten).
   */
  public byte[] firstChunk(String queueId, BodyRef ref) throws IOException {
    if (ref.store() != BodyRef.Store.CHUNKS) {
      return whole(queueId, ref); // never more than one chunk
    }
    byte[][] first = new byte[1][];
    BodyRef head = new BodyRef(ref.partition(), ref.chunkOffsets().subList(0, Math.min(1, ref.chunkOffsets().size())), ref.size());
    read(queueId, head, data -> first[0] = data);
    return first[0] == null ? new byte[0] : first[0];
  }

  /**
   * Reads every chunk of {@code ref} in order into {@code sink}.
   *
   * @throws BodyUnavailableException when a chunk cannot be read in time or is not what the
   *     reference promised (deleted by retention, wrong message)
   */
  public void read(String queueId, BodyRef ref, ChunkSink sink) throws IOException {
    if (ref.store() != BodyRef.Store.CHUNKS) {
      sink.accept(whole(queueId, ref));
      return;
    }
    List<Long> offsets = ref.chunkOffsets();
    if (offsets.isEmpty()) {
      return;
    }
    TopicPartition tp = new TopicPartition(bodiesTopic, ref.partition());
    position(tp, offsets.get(0), 0); // chunks are large: never read past others'
    int next = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (next < offsets.size()) {
      if (System.nanoTime() > deadline) {
        throw new BodyUnavailableException(
            queueId + ": body chunk at " + tp + "@" + offsets.get(next) + " not readable within " + timeout);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
        if (next >= offsets.size() || r.offset() != offsets.get(next)) {
          continue; // A chunk of another message stored between ours.
        }
        BodyChunk chunk = BodyChunk.decode(r.value());
        if (!chunk.queueId().equals(queueId) || chunk.seq() != next) {
          throw new BodyUnavailableException(
              queueId + ": record at " + tp + "@" + r.offset() + " is chunk " + chunk.seq() + " of " + chunk.queueId());
        }
        sink.accept(chunk.data());
        next++;
      }
      if (next < offsets.size() && consumer.position(tp) > offsets.get(next)) {
        throw new BodyUnavailableException(
            queueId + ": body chunk at " + tp + "@" + offsets.get(next) + " is gone (retention or compaction)");
      }
    }
  }

  /** A body that is inline, or inside the accepted record the reference names. */
  private byte[] whole(String queueId, BodyRef ref) throws IOException {
    if (ref.store() == BodyRef.Store.INLINE) {
      return ref.inline();
    }
    TopicPartition tp = new TopicPartition(acceptedTopic, ref.partition());
    long offset = ref.chunkOffsets().get(0);
    byte[] kept = takeCached(tp, offset);
    if (kept != null) {
      return bodyOf(queueId, tp, offset, kept);
    }
    position(tp, offset, MAX_SKIP);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      byte[] found = null;
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
        if (r.offset() == offset) {
          found = r.value();
        } else {
          keep(tp, r.offset(), r.value());
        }
      }
      if (found != null) {
        return bodyOf(queueId, tp, offset, found);
      }
      if (consumer.position(tp) > offset) {
        throw new BodyUnavailableException(queueId + ": accepted record at " + tp + "@" + offset + " is gone (retention)");
      }
    }
    throw new BodyUnavailableException(queueId + ": accepted record at " + tp + "@" + offset + " not readable within " + timeout);
  }

  private static byte[] bodyOf(String queueId, TopicPartition tp, long offset, byte[] value) throws IOException {
    MailEvent event;
    try {
      event = EventCodec.decode(value);
    } catch (CodecException e) {
      throw new BodyUnavailableException(queueId + ": record at " + tp + "@" + offset + " does not decode: " + e.getMessage());
    }
    if (!(event instanceof MessageAccepted m) || !m.queueId().equals(queueId) || m.body().store() != BodyRef.Store.INLINE) {
      throw new BodyUnavailableException(queueId + ": record at " + tp + "@" + offset + " does not hold this body");
    }
    return m.body().inline();
  }

  /**
   * Makes {@code tp} the only partition polled, at {@code offset}: without a seek when the
   * partition is already there or a little behind (read in order; what lies between is kept), so
   * that what the consumer fetched ahead is not thrown away. Every partition read once stays
   * assigned, paused while another is read, keeping its position: changing the assignment for each
   * body would also rebuild the consumer's per-partition metrics (and their JMX beans) every time.
   */
  private void position(TopicPartition tp, long offset, long maxSkip) {
    if (assigned.add(tp)) {
      consumer.assign(assigned);
      consumer.seek(tp, offset);
    } else {
      long at = consumer.position(tp);
      if (at > offset || offset - at > maxSkip) {
        consumer.seek(tp, offset);
      }
    }
    if (!tp.equals(reading)) {
      Set<TopicPartition> others = new HashSet<>(assigned);
      others.remove(tp);
      consumer.pause(others);
      consumer.resume(Set.of(tp));
      reading = tp;
    }
  }

  private void keep(TopicPartition tp, long offset, byte[] value) {
    if (value == null || value.length > CACHE_BYTES / 4) {
      return;
    }
    if (cached.computeIfAbsent(tp, p -> new HashMap<>()).put(offset, value) == null) {
      cacheOrder.put(tp + "@" + offset, value.length);
      cacheBytes += value.length;
    }
    var it = cacheOrder.entrySet().iterator();
    while (cacheBytes > CACHE_BYTES && it.hasNext()) {
      var eldest = it.next();
      it.remove();
      cacheBytes -= eldest.getValue();
      String k = eldest.getKey();
      int at = k.lastIndexOf('@');
      TopicPartition p = tpOf(k.substring(0, at));
      Map<Long, byte[]> m = cached.get(p);
      if (m != null) {
        m.remove(Long.parseLong(k.substring(at + 1)));
      }
    }
  }

  private byte[] takeCached(TopicPartition tp, long offset) {
    Map<Long, byte[]> m = cached.get(tp);
    byte[] value = m == null ? null : m.remove(offset);
    if (value != null) {
      cacheOrder.remove(tp + "@" + offset);
      cacheBytes -= value.length;
    }
    return value;
  }

  private static TopicPartition tpOf(String s) {
    int dash = s.lastIndexOf('-');
    return new TopicPartition(s.substring(0, dash), Integer.parseInt(s.substring(dash + 1)));
  }

  @Override
  public void close() {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
