package io.mailstream.ingress.publish;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.publish.AcceptedRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One message on its way to Kafka. A body of one chunk or less (nearly all mail) goes inside its
 * {@link MessageAccepted} record: one durable append, which the producer batches with the other
 * sessions' into one fsync. A larger body goes as chunks to the bodies topic, then the accepted
 * event that lists them. The first chunk is therefore held back until a second one shows that the
 * body will not fit inline. The partition, the records and the inline-or-chunks rule are queue-store's
 * {@link AcceptedRecords}, shared with every other stage that queues a message.
 */
final class KafkaBodyWriter implements BodyWriter {
  private final KafkaPublisher publisher;
  private final String queueId;
  private final List<CompletableFuture<RecordMetadata>> chunks = new ArrayList<>();
  private final AcceptedRecords records;
  private final int partition;
  private byte[] held;
  private CompletableFuture<Void> heldStored;
  private long size;
  private boolean finished;

  KafkaBodyWriter(KafkaPublisher publisher, String queueId) {
    this.publisher = publisher;
    this.queueId = queueId;
    this.records = publisher.records();
    this.partition = records.partition();
  }

  @Override
  public CompletableFuture<Void> write(byte[] chunk) {
    requireOpen();
    size += chunk.length;
    if (held == null && chunks.isEmpty()) {
      held = chunk;
      heldStored = new CompletableFuture<>();
      return heldStored;
    }
    sendHeld();
    return sendChunk(chunk);
  }

  @Override
  public CompletableFuture<MessageAccepted> commit(Submission submission) {
    requireOpen();
    if (!submission.queueId().equals(queueId)) {
      throw new IllegalArgumentException("submission " + submission.queueId() + " for writer " + queueId);
    }
    finished = true;
    if (chunks.isEmpty()) {
      // Only a body within one chunk was held back: it fits (AcceptedRecords.fitsInline).
      return commitInline(submission);
    }
    List<CompletableFuture<RecordMetadata>> all = List.copyOf(chunks);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> bodyRef(all))
        .thenCompose(ref -> append(submission.toEvent(ref)));
  }

  @Override
  public void abort() {
    finished = true;
    if (heldStored != null) {
      heldStored.completeExceptionally(new CancellationException(queueId + ": message abandoned"));
    }
  }

  private CompletableFuture<MessageAccepted> commitInline(Submission submission) {
    byte[] body = held == null ? new byte[0] : held;
    CompletableFuture<Void> stored = heldStored;
    held = null;
    CompletableFuture<MessageAccepted> appended = append(submission.toEvent(BodyRef.inline(body)));
    if (stored != null) {
      settle(stored, appended);
    }
    return appended;
  }

  private CompletableFuture<MessageAccepted> append(MessageAccepted event) {
    return publisher.send(records.accepted(partition, event)).thenApply(metadata -> event);
  }

  private void sendHeld() {
    if (held != null) {
      CompletableFuture<Void> stored = heldStored;
      byte[] first = held;
      held = null;
      settle(stored, sendChunk(first));
    }
  }

  // The held chunk is stored when the record that carries it is.
  private static void settle(CompletableFuture<Void> held, CompletableFuture<?> carrier) {
    carrier.whenComplete((ok, error) -> {
      if (error != null) {
        held.completeExceptionally(error);
      } else {
        held.complete(null);
      }
    });
  }

  private CompletableFuture<Void> sendChunk(byte[] chunk) {
    CompletableFuture<RecordMetadata> acked = publisher.send(records.chunk(queueId, partition, chunks.size(), chunk));
    chunks.add(acked);
    return acked.thenApply(metadata -> null);
  }

  private BodyRef bodyRef(List<CompletableFuture<RecordMetadata>> acked) {
    return AcceptedRecords.chunksAt(queueId, acked.stream().map(CompletableFuture::join).toList(), size);
  }

  private void requireOpen() {
    if (finished) {
      throw new IllegalStateException(queueId + ": body already committed or aborted");
    }
  }
}
