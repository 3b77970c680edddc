package io.mailstream.queue.publish;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The one way a message is laid out in the queue, whoever writes it (the ingress for received
 * mail; the router and delivery for the notices they queue): which partition its records go to,
 * whether its body travels inside the {@link MessageAccepted} record or as {@link BodyChunk}s, and
 * the records themselves. Writers differ only in how they send (the ingress streams a body as it
 * arrives, asynchronously; the other stages have the whole body and write through their own
 * producer, inside their transaction or before committing their input).
 *
 * <p>A message's chunks and its accepted event share one partition, chosen when the message
 * starts ({@link #partition}); the accepted event is the commit point and refers to the chunks.
 */
public final class AcceptedRecords {
  private static final long STICKY_NANOS = 25_000_000L;

  private final Topics topics;

  public AcceptedRecords(Topics topics) {
    this.topics = topics;
  }

  /**
   * The partition for a new message's chunks and its accepted event. Messages that start together
   * share a partition for a short while (25 ms), then the next partition takes over: a produce
   * request then touches one partition of each topic instead of all of them, and with fsync on the
   * broker syncs each partition it touches once per request, so concurrent writers share one fsync
   * (group commit). Over time the partitions are used evenly. Keys do not choose the partition:
   * nothing downstream needs a message's records on a partition of its own.
   */
  public int partition() {
    return (int) ((System.nanoTime() / STICKY_NANOS) % topics.settings().partitions());
  }

  /** Whether a body of {@code size} octets travels inside its accepted record: one chunk or less. */
  public static boolean fitsInline(long size) {
    return size <= BodyChunk.MAX_SIZE;
  }

  /** Chunk {@code seq} (from 0) of a body too large to travel inline. */
  public ProducerRecord<String, byte[]> chunk(String queueId, int partition, int seq, byte[] data) {
    return new ProducerRecord<>(topics.bodies(), partition, queueId, new BodyChunk(queueId, seq, data).encode());
  }

  /** The accepted event, on the partition of its chunks (or the one chosen for an inline body). */
  public ProducerRecord<String, byte[]> accepted(int partition, MessageAccepted event) {
    return new ProducerRecord<>(topics.accepted(), partition, event.queueId(), EventCodec.encode(event));
  }

  /**
   * The reference to a body stored as chunks, from their acknowledgements in order.
   *
   * @throws IllegalStateException when the chunks are not on one partition (only a change of the
   *     partition count in mid-message can do that; one reference could not say where they are)
   */
  public static BodyRef chunksAt(String queueId, List<RecordMetadata> acked, long size) {
    int partition = acked.get(0).partition();
    List<Long> offsets = new ArrayList<>(acked.size());
    for (RecordMetadata m : acked) {
      if (m.partition() != partition) {
        throw new IllegalStateException(queueId + ": chunks landed on partitions " + partition + " and " + m.partition());
      }
      offsets.add(m.offset());
    }
    return new BodyRef(partition, offsets, size);
  }
}
