package io.mailstream.queue.body;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.codec.CodecException;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a stored message body back: a small one from the accepted record that holds it, a large
 * one from the bodies topic chunk by chunk, so that a 100 MiB message never sits whole in memory.
 * Not thread-safe (it owns a KafkaConsumer): each delivery thread has its own.
 */
public final class BodyReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String bodiesTopic;
  private final String acceptedTopic;
  private final Duration timeout;
  private final Set<TopicPartition> assigned = new HashSet<>();

  public BodyReader(String bootstrap, Topics topics, Duration timeout) {
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(bootstrap));
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
    focus(tp, offsets.get(0));
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

  /**
   * Reads {@code tp} from {@code offset} on, and nothing else. Every partition read once stays
   * assigned, paused while another is read: changing the assignment for each body would rebuild the
   * consumer's per-partition metrics (and their JMX beans) every time.
   */
  private void focus(TopicPartition tp, long offset) {
    if (assigned.add(tp)) {
      consumer.assign(assigned);
    }
    consumer.pause(assigned);
    consumer.resume(Set.of(tp));
    consumer.seek(tp, offset);
  }

  /** A body that is inline, or inside the accepted record the reference names. */
  private byte[] whole(String queueId, BodyRef ref) throws IOException {
    if (ref.store() == BodyRef.Store.INLINE) {
      return ref.inline();
    }
    TopicPartition tp = new TopicPartition(acceptedTopic, ref.partition());
    long offset = ref.chunkOffsets().get(0);
    focus(tp, offset);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
        if (r.offset() == offset) {
          return bodyOf(queueId, tp, r);
        }
      }
      if (consumer.position(tp) > offset) {
        throw new BodyUnavailableException(queueId + ": accepted record at " + tp + "@" + offset + " is gone (retention)");
      }
    }
    throw new BodyUnavailableException(queueId + ": accepted record at " + tp + "@" + offset + " not readable within " + timeout);
  }

  private static byte[] bodyOf(String queueId, TopicPartition tp, ConsumerRecord<String, byte[]> r) throws IOException {
    MailEvent event;
    try {
      event = EventCodec.decode(r.value());
    } catch (CodecException e) {
      throw new BodyUnavailableException(queueId + ": record at " + tp + "@" + r.offset() + " does not decode: " + e.getMessage());
    }
    if (!(event instanceof MessageAccepted m) || !m.queueId().equals(queueId) || m.body().store() != BodyRef.Store.INLINE) {
      throw new BodyUnavailableException(queueId + ": record at " + tp + "@" + r.offset() + " does not hold this body");
    }
    return m.body().inline();
  }

  @Override
  public void close() {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
