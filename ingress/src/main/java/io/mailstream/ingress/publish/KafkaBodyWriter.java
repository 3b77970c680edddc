package io.mailstream.ingress.publish;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.codec.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** One message on its way to Kafka: its chunks, then its {@link MessageAccepted} event. */
final class KafkaBodyWriter implements BodyWriter {
  private final KafkaPublisher publisher;
  private final String queueId;
  private final List<CompletableFuture<RecordMetadata>> chunks = new ArrayList<>();
  private long size;
  private boolean finished;
  private final int partition;

  KafkaBodyWriter(KafkaPublisher publisher, String queueId) {
    this.publisher = publisher;
    this.queueId = queueId;
    this.partition = publisher.stickyPartition();
  }

  @Override
  public CompletableFuture<Void> write(byte[] chunk) {
    requireOpen();
    BodyChunk record = new BodyChunk(queueId, chunks.size(), chunk);
    size += chunk.length;
    CompletableFuture<RecordMetadata> acked =
        publisher.send(publisher.topics().bodies(), partition, queueId, record.encode());
    chunks.add(acked);
    return acked.thenApply(metadata -> null);
  }

  @Override
  public CompletableFuture<MessageAccepted> commit(Submission submission) {
    requireOpen();
    if (!submission.queueId().equals(queueId)) {
      throw new IllegalArgumentException("submission " + submission.queueId() + " for writer " + queueId);
    }
    if (chunks.isEmpty()) {
      write(new byte[0]); // every body has a chunk, so that its reference names a partition
    }
    finished = true;
    List<CompletableFuture<RecordMetadata>> all = List.copyOf(chunks);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> bodyRef(all))
        .thenCompose(
            ref -> {
              MessageAccepted event = submission.toEvent(ref);
              return publisher
                  .send(publisher.topics().accepted(), partition, queueId, EventCodec.encode(event))
                  .thenApply(metadata -> event);
            });
  }

  @Override
  public void abort() {
    finished = true;
  }

  private BodyRef bodyRef(List<CompletableFuture<RecordMetadata>> acked) {
    List<Long> offsets = new ArrayList<>(acked.size());
    int partition = acked.get(0).join().partition();
    for (CompletableFuture<RecordMetadata> f : acked) {
      RecordMetadata m = f.join();
      if (m.partition() != partition) {
        // Only a partition count change in mid-message can do this; the reference could not say.
        throw new IllegalStateException(
            queueId + ": chunks landed on partitions " + partition + " and " + m.partition());
      }
      offsets.add(m.offset());
    }
    return new BodyRef(partition, offsets, size);
  }

  private void requireOpen() {
    if (finished) {
      throw new IllegalStateException(queueId + ": body already committed or aborted");
    }
  }
}
