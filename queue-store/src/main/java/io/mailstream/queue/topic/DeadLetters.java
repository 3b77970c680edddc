package io.mailstream.queue.topic;

import io.mailstream.core.event.MailEvent;
import io.mailstream.queue.codec.CodecException;
import io.mailstream.queue.codec.EventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a record that a stage cannot process (a poison record: damaged, from a newer schema, or one
 * whose processing kept failing, see {@link RecordFailures}) to the dead-letter topic with where it
 * came from and why, so that the stage can go on with the rest of its partition instead of
 * stopping or losing the record silently.
 */
public final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final MeterRegistry metrics;

  public DeadLetters(Producer<String, byte[]> producer, Topics topics) {
    this(producer, topics, new CompositeMeterRegistry());
  }

  /** @param metrics counts the records sent, by the topic they came from */
  public DeadLetters(Producer<String, byte[]> producer, Topics topics, MeterRegistry metrics) {
    this.producer = producer;
    this.topic = topics.deadLetter();
    this.metrics = metrics;
  }

  /**
   * The counter of records dead-lettered from {@code source}: {@code mailstream_dead_letters_total}.
   * A record sent in a transaction that is then aborted is counted although it never lands; rare
   * (the record is read and sent again), and an over-count errs on the side of looking.
   */
  public static Counter counter(MeterRegistry metrics, String source) {
    return Counter.builder("mailstream.dead.letters")
        .description("records moved to the dead-letter topic, by the topic they came from")
        .tag("topic", source)
        .register(metrics);
  }

  /**
   * Decodes a stage's input record as the event type it expects; a record that is damaged, from a
   * newer schema or of another type goes to the dead-letter topic and yields nothing.
   */
  public <T extends MailEvent> Optional<T> decode(ConsumerRecord<String, byte[]> record, Class<T> expected) {
    MailEvent event;
    try {
      event = EventCodec.decode(record.value());
    } catch (CodecException e) {
      send(record, e.getMessage());
      return Optional.empty();
    }
    if (!expected.isInstance(event)) {
      send(record, "not a " + expected.getSimpleName() + " event: " + event.getClass().getSimpleName());
      return Optional.empty();
    }
    return Optional.of(expected.cast(event));
  }

  /** Sends the record to the dead-letter topic within the producer's current transaction, if any. */
  public void send(ConsumerRecord<String, byte[]> record, String reason) {
    log.error(
        "dead-lettering {}-{}@{} key={}: {}",
        record.topic(), record.partition(), record.offset(), record.key(), reason);
    ProducerRecord<String, byte[]> out = new ProducerRecord<>(topic, record.key(), record.value());
    out.headers()
        .add("mailstream.source", RecordFailures.sourceOf(record).getBytes(StandardCharsets.UTF_8))
        .add("mailstream.reason", reason.getBytes(StandardCharsets.UTF_8));
    producer.send(out);
    counter(metrics, record.topic()).increment();
  }
}
