package io.mailstream.queue.publish;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Queues a message that Mailstream writes itself (a bounce, for instance) the way the ingress
 * queues a received one, laid out by the same {@link AcceptedRecords}: a body of one chunk or
 * less inside its {@link MessageAccepted} record; a larger one as chunks to the bodies topic,
 * then, once every chunk is acknowledged, the accepted event on the partition of the chunks. The
 * accepted record stays the commit point: the router never sees a message whose body is not
 * stored.
 *
 * <p>It writes through the caller's producer, so that the message joins the caller's guarantees:
 * inside a transaction (the router) it becomes visible with the rest of the transaction; with a
 * plain producer (delivery) the caller flushes before committing its input offsets.
 */
public final class MessageWriter {
  private final Producer<String, byte[]> producer;
  private final AcceptedRecords records;
  private final Duration timeout;

  public MessageWriter(Producer<String, byte[]> producer, Topics topics, Duration timeout) {
    this.producer = producer;
    this.records = new AcceptedRecords(topics);
    this.timeout = timeout;
  }

  /**
   * Stores {@code body} (a whole message, CRLF line ends) under {@code queueId} and sends the
   * accepted event that {@code event} makes from its body reference. Returns that event; its
   * record is sent but not yet acknowledged (the caller's flush or commit covers it).
   *
   * @throws KafkaException when a chunk is not acknowledged in time; nothing was accepted then
   */
  public MessageAccepted write(String queueId, byte[] body, Function<BodyRef, MessageAccepted> event) {
    int partition = records.partition();
    if (AcceptedRecords.fitsInline(body.length)) {
      MessageAccepted accepted = event.apply(BodyRef.inline(body));
      producer.send(records.accepted(partition, accepted));
      return accepted;
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    int seq = 0;
    for (int from = 0; from < body.length; from += BodyChunk.MAX_SIZE) {
      byte[] data = Arrays.copyOfRange(body, from, Math.min(body.length, from + BodyChunk.MAX_SIZE));
      sent.add(producer.send(records.chunk(queueId, partition, seq++, data)));
    }
    // A producer that lingers (the router's, for its transaction window) would hold the chunks
    // back until the commit; the accepted event may only be sent once they are stored.
    producer.flush();
    List<RecordMetadata> acked = new ArrayList<>(sent.size());
    for (Future<RecordMetadata> f : sent) {
      acked.add(acknowledged(f));
    }
    MessageAccepted accepted = event.apply(AcceptedRecords.chunksAt(queueId, acked, body.length));
    producer.send(records.accepted(partition, accepted));
    return accepted;
  }

  private RecordMetadata acknowledged(Future<RecordMetadata> f) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while storing a body chunk", e);
    } catch (ExecutionException e) {
      throw new KafkaException("body chunk not stored: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("body chunk not acknowledged within " + timeout, e);
    }
  }
}
