package io.mailstream.ops.queue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.envelope.QueueId;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.publish.MessageWriter;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Re-drives mail from the event log: each message selected is queued again as a new message (new
 * queue id, acceptance now) with the same bytes, to the recipients {@link QueueIndex#replayable}
 * allows, and a {@link ReplayTrace} field naming the original. The router routes the copy under
 * the rules in force, so a fixed mailertable entry takes effect.
 *
 * <p>All or nothing: the selection is refused as a whole when it reaches back past what the topics
 * still hold (retention), or when a body cannot be read; the copies are written in Kafka
 * transactions, so a failure leaves no half-written batch.
 */
public final class Replayer implements AutoCloseable {
  // Copies per transaction: well inside the transaction time-out even for large bodies.
  private static final int BATCH = 200;

  /** The replay cannot be done as asked; nothing was sent. */
  public static final class Refused extends IllegalArgumentException {
    Refused(String message) {
      super(message);
    }
  }

  private final String bootstrap;
  private final Topics topics;
  private final QueueIndex index;
  private final String node;
  private final BodyReader bodies;
  private KafkaProducer<String, byte[]> producer;

  public Replayer(String bootstrap, Topics topics, QueueIndex index, String node) {
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.index = index;
    this.node = node;
    this.bodies = new BodyReader(bootstrap, ClientName.of("replay-bodies"), topics, Duration.ofSeconds(30));
  }

  /**
   * Replays what {@code filter} selects.
   *
   * @throws Refused when the selection reaches past the topics' retention, names an unknown
   *     message, or a body cannot be read
   */
  public synchronized Views.ReplayResult replay(QueueFilter filter, boolean dryRun, boolean force, String user) {
    long now = System.currentTimeMillis();
    Optional<Long> horizon = horizon();
    String kept = horizon.map(h -> "the topics keep mail accepted from " + Instant.ofEpochMilli(h) + " on").orElse(null);
    if (horizon.isPresent() && filter.newerThan() != null && now - filter.newerThan().toMillis() < horizon.get()) {
      throw new Refused("the window starts before the oldest mail still in the topics (" + kept
          + ", delivery.queue-lifetime sets their retention); nothing replayed");
    }
    for (String id : filter.ids()) {
      if (!index.known(id)) {
        throw new Refused("no message " + id + " in the topics: never queued here, or older than their retention"
            + (kept == null ? "" : " (" + kept + ")") + "; nothing replayed");
      }
    }
    List<QueueIndex.ReplayPlan> plans = index.replayable(filter, now, force);
    List<Views.Skipped> skipped = new ArrayList<>();
    List<QueueIndex.ReplayPlan> sending = new ArrayList<>();
    for (QueueIndex.ReplayPlan p : plans) {
      p.skipped().forEach(s -> skipped.add(new Views.Skipped(p.queueId(), s.recipient(), s.reason())));
      if (p.accepted() == null || p.send().isEmpty()) {
        continue;
      }
      if (horizon.isPresent() && p.accepted().acceptedAtMillis() < horizon.get()) {
        throw new Refused(p.queueId() + " was accepted before the oldest mail still in the topics (" + kept
            + "); nothing replayed");
      }
      sending.add(p);
    }
    if (!dryRun) {
      for (QueueIndex.ReplayPlan p : sending) {
        readable(p); // every body first: a replay is refused whole, never sent in part
      }
    }
    List<Views.Replayed> replayed = dryRun ? plannedOnly(sending) : write(sending, user, now);
    int recipients = replayed.stream().mapToInt(r -> r.recipients().size()).sum();
    return new Views.ReplayResult(dryRun, replayed.size(), recipients, replayed, skipped,
        horizon.map(h -> Instant.ofEpochMilli(h).toString()).orElse(null));
  }

  private static List<Views.Replayed> plannedOnly(List<QueueIndex.ReplayPlan> sending) {
    return sending.stream().map(p -> new Views.Replayed(p.queueId(), null, p.send())).toList();
  }

  private void readable(QueueIndex.ReplayPlan p) {
    try {
      bodies.firstChunk(p.queueId(), p.body());
    } catch (IOException | RuntimeException e) {
      throw new Refused("the body of " + p.queueId() + " cannot be read (" + e.getMessage() + "); nothing replayed");
    }
  }

  private List<Views.Replayed> write(List<QueueIndex.ReplayPlan> sending, String user, long now) {
    List<Views.Replayed> out = new ArrayList<>();
    KafkaProducer<String, byte[]> p = producer();
    MessageWriter writer = new MessageWriter(p, topics, Duration.ofSeconds(60));
    for (int from = 0; from < sending.size(); from += BATCH) {
      p.beginTransaction();
      List<Views.Replayed> batch = new ArrayList<>();
      try {
        for (QueueIndex.ReplayPlan plan : sending.subList(from, Math.min(sending.size(), from + BATCH))) {
          String copy = QueueId.next();
          byte[] body = body(plan);
          MessageAccepted o = plan.accepted();
          String trace = ReplayTrace.field(plan.queueId(), user, node, now);
          writer.write(copy, body, ref -> new MessageAccepted(copy, now, o.sender(), recipients(o, plan.send()), o.client(),
              o.messageId(), trace + (o.receivedHeader() == null ? "" : o.receivedHeader()), ref, o.dsn()));
          batch.add(new Views.Replayed(plan.queueId(), copy, plan.send()));
        }
        p.commitTransaction();
      } catch (RuntimeException e) {
        p.abortTransaction();
        throw new IllegalStateException("replay stopped after " + out.size() + " message(s) (those are queued; "
            + "the rest is not): " + e.getMessage(), e);
      }
      out.addAll(batch);
    }
    return out;
  }

  /** The original's envelope recipients that are sent to, keeping their NOTIFY and ORCPT. */
  private static List<EnvelopeRecipient> recipients(MessageAccepted o, List<String> send) {
    List<EnvelopeRecipient> out = new ArrayList<>();
    for (String address : send) {
      EnvelopeRecipient r = o.recipients().stream().filter(e -> e.address().toString().equals(address)).findFirst()
          .orElseGet(() -> EnvelopeRecipient.of(parse(address)));
      out.add(r);
    }
    return out;
  }

  private static MailAddress parse(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? new MailAddress(address, null) : new MailAddress(address.substring(0, at), address.substring(at + 1));
  }

  private byte[] body(QueueIndex.ReplayPlan p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      bodies.read(p.queueId(), p.body(), out::write);
    } catch (IOException e) {
      throw new IllegalStateException("the body of " + p.queueId() + " cannot be read: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(
          KafkaClients.transactionalProducer(bootstrap, ClientName.of("replay"), topics.settings().topicPrefix() + "-replay-" + node));
      producer.initTransactions();
    }
    return producer;
  }

  /**
   * The arrival of the oldest message still on the accepted topic, when retention has removed
   * older ones (a partition whose log no longer starts at offset 0); empty when nothing was removed.
   */
  private Optional<Long> horizon() {
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(bootstrap, ClientName.of("replay-reader")))) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo info : c.partitionsFor(topics.accepted(), Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(info.topic(), info.partition()));
      }
      Map<TopicPartition, Long> start = c.beginningOffsets(parts, Duration.ofSeconds(30));
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      Long oldest = null;
      boolean trimmed = false;
      for (TopicPartition tp : parts) {
        if (start.get(tp) == 0) {
          continue;
        }
        trimmed = true;
        if (start.get(tp) >= end.get(tp)) {
          continue; // emptied by retention: it holds nothing older
        }
        c.assign(List.of(tp));
        c.seek(tp, start.get(tp));
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(10))) {
          oldest = oldest == null ? r.timestamp() : Math.min(oldest, r.timestamp());
          break;
        }
      }
      return trimmed ? Optional.of(oldest == null ? System.currentTimeMillis() : oldest) : Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    bodies.close();
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
