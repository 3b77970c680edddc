package io.mailstream.ops.queue;

import io.mailstream.core.event.QueueCommand;
import io.mailstream.queue.codec.ControlCodec;
import io.mailstream.queue.state.QueueControl;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Takes an administrator's order: resolves the filter against this node's view of the queue into
 * queue ids, writes one {@link QueueCommand} to the control topic, and answers once this node has
 * applied it (every node applies it as it reads it; the order of the one partition is the order of
 * the orders).
 */
public final class QueueOrders implements AutoCloseable {
  private static final Duration APPLY_WAIT = Duration.ofSeconds(30);
  private static final Set<String> PENDING = Set.of("queued", "deferred", "held");

  private final String topic;
  private final KafkaProducer<String, byte[]> producer;
  private final QueueIndex index;
  private final QueueControl control;
  private final String nodeName;
  private final Predicate<String> delivering;

  /**
   * @param delivering whether this node has an attempt under way for a queue id
   */
  public QueueOrders(String bootstrap, Topics topics, QueueIndex index, QueueControl control, String nodeName,
      Predicate<String> delivering) {
    this.topic = topics.control();
    this.producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("queue-orders"), Duration.ofSeconds(30)));
    this.index = index;
    this.control = control;
    this.nodeName = nodeName;
    this.delivering = delivering;
  }

  /**
   * Gives the order to every message {@code filter} selects that it can apply to: hold what is
   * queued and not held, release what is held, delete what is queued (held or not), flush and
   * requeue what has deferred recipients and is not held.
   *
   * @param user who asked, for the history
   */
  public Views.OrderResult order(QueueCommand.Verb verb, QueueFilter filter, String user) throws InterruptedException {
    List<String> ids = index.ids(filter, System.currentTimeMillis(), eligible(verb));
    String name = verb.name().toLowerCase(Locale.ROOT);
    if (ids.isEmpty()) {
      return new Views.OrderResult(name, 0, List.of(), true, List.of());
    }
    // Before it is written: an attempt that starts after this may already obey it.
    QueueCommand c = new QueueCommand(verb, ids, nodeName + " (" + user + ")", System.currentTimeMillis());
    long offset = publish(c);
    boolean applied = control.awaitApplied(offset, APPLY_WAIT);
    List<String> busy = ids.stream().filter(delivering).toList();
    return new Views.OrderResult(name, ids.size(), ids, applied, busy);
  }

  private static Predicate<Views.Message> eligible(QueueCommand.Verb verb) {
    return switch (verb) {
      case HOLD -> m -> PENDING.contains(m.state()) && !m.held();
      case RELEASE -> Views.Message::held;
      case DELETE -> m -> PENDING.contains(m.state());
      case FLUSH, REQUEUE -> m -> "deferred".equals(m.state());
    };
  }

  private long publish(QueueCommand c) {
    try {
      RecordMetadata m = producer.send(new ProducerRecord<>(topic, 0, c.verb().name().toLowerCase(Locale.ROOT),
          ControlCodec.encode(c))).get(30, TimeUnit.SECONDS);
      return m.offset();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write the order to " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the order", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
