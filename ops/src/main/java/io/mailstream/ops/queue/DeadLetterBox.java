package io.mailstream.ops.queue;

import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The dead-letter topic for administrators: lists the records the stages could not process, and
 * writes chosen ones back to the topic and partition they came from once the cause is fixed (a
 * node upgraded to read a newer schema, a map repaired). A replay is remembered on the dead-letter
 * topic itself by a marker record (no value, header {@code mailstream.replayed}), so that a record
 * is not written back twice unless asked with {@code force}.
 */
public final class DeadLetterBox implements AutoCloseable {
  static final String REPLAYED = "mailstream.replayed";

  private final String bootstrap;
  private final Topics topics;
  private final KafkaProducer<String, byte[]> producer;

  public DeadLetterBox(String bootstrap, Topics topics) {
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("dead-letters"), Duration.ofSeconds(30)));
  }

  /** The dead letters by id ({@code partition@offset}), and the ids written back already. */
  private record Letters(Map<String, ConsumerRecord<String, byte[]>> byId, Set<String> replayed) {}

  private Letters letters() {
    Map<String, ConsumerRecord<String, byte[]>> byId = new LinkedHashMap<>();
    Set<String> replayed = new HashSet<>();
    for (ConsumerRecord<String, byte[]> r : read()) {
      String marker = header(r, REPLAYED);
      if (marker != null) {
        replayed.add(marker);
      } else if (r.value() != null) {
        byId.put(r.partition() + "@" + r.offset(), r);
      }
    }
    return new Letters(byId, replayed);
  }

  /** Every dead letter now on the topic, oldest first per partition. */
  public Views.DeadLetterListing list() {
    Letters letters = letters();
    List<Views.DeadLetter> out = new ArrayList<>();
    letters.byId().forEach((id, r) -> out.add(new Views.DeadLetter(id, header(r, "mailstream.source"),
        header(r, "mailstream.reason"), r.key(), Instant.ofEpochMilli(r.timestamp()).toString(), r.value().length,
        letters.replayed().contains(id))));
    return new Views.DeadLetterListing(out.size(), out);
  }

  /**
   * Writes the dead letters {@code ids} (all when empty and {@code all}) back to where they came
   * from, each once unless {@code force}.
   */
  public Views.DeadLetterReplay replay(Set<String> ids, boolean all, boolean force) {
    Letters found = letters();
    Map<String, ConsumerRecord<String, byte[]>> letters = found.byId();
    Set<String> replayed = found.replayed();
    List<String> done = new ArrayList<>();
    List<Views.Skipped> skipped = new ArrayList<>();
    for (String id : ids) {
      if (!letters.containsKey(id)) {
        skipped.add(new Views.Skipped(id, null, "no such dead letter (partition@offset, as listed)"));
      }
    }
    for (Map.Entry<String, ConsumerRecord<String, byte[]>> e : letters.entrySet()) {
      String id = e.getKey();
      if (!all && !ids.contains(id)) {
        continue;
      }
      if (replayed.contains(id) && !force) {
        skipped.add(new Views.Skipped(id, null, "written back already (--force writes it again)"));
        continue;
      }
      String source = header(e.getValue(), "mailstream.source");
      int at = source == null ? -1 : source.lastIndexOf('@');
      int dash = at < 0 ? -1 : source.lastIndexOf('-', at);
      if (dash < 0) {
        skipped.add(new Views.Skipped(id, null, "no source to write it back to: " + source));
        continue;
      }
      String topic = source.substring(0, dash);
      int partition = Integer.parseInt(source.substring(dash + 1, at));
      ConsumerRecord<String, byte[]> r = e.getValue();
      acknowledged(new ProducerRecord<>(topic, partition, r.key(), r.value()));
      ProducerRecord<String, byte[]> marker = new ProducerRecord<>(topics.deadLetter(), r.partition(), r.key(), null);
      marker.headers().add(REPLAYED, id.getBytes(StandardCharsets.UTF_8));
      acknowledged(marker);
      done.add(id);
    }
    return new Views.DeadLetterReplay(done.size(), done, skipped);
  }

  private void acknowledged(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + record.topic() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private List<ConsumerRecord<String, byte[]>> read() {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(bootstrap, ClientName.of("dead-letters-reader")))) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : c.partitionsFor(topics.deadLetter(), Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(p.topic(), p.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read " + topics.deadLetter() + " to its end within 60 s");
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
