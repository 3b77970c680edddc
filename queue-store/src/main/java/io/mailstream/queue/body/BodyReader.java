package io.mailstream.queue.body;

import io.mailstream.core.event.BodyRef;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.topic.KafkaClients;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Streams a stored message body back from the bodies topic, chunk by chunk, so that a 100 MiB
 * message never sits whole in memory. Not thread-safe (it owns a KafkaConsumer): each delivery
 * thread has its own.
 */
public final class BodyReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Duration timeout;

  public BodyReader(String bootstrap, String bodiesTopic, Duration timeout) {
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(bootstrap));
    this.topic = bodiesTopic;
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
    List<Long> offsets = ref.chunkOffsets();
    if (offsets.isEmpty()) {
      return;
    }
    TopicPartition tp = new TopicPartition(topic, ref.partition());
    consumer.assign(Set.of(tp));
    consumer.seek(tp, offsets.get(0));
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

  @Override
  public void close() {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
