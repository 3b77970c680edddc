package io.mailstream.loadtest;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.queue.broker.EmbeddedKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.TopicAdmin;
import io.mailstream.queue.topic.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The ceiling under Mailstream's durability promise: a plain Kafka producer writing N records of
 * SIZE octets to the embedded broker, started as Mailstream starts it ({@link EmbeddedKafka}, topics
 * from {@link TopicAdmin}, so the accepted-mail topic has flush.messages=1), with Mailstream's
 * producer settings ({@link KafkaClients#producer}: acks=all, idempotence, linger 1 ms). Like SMTP
 * sessions waiting for their 250, each of the concurrent senders waits for its record's ack before
 * sending the next.
 *
 * <p>Runs the workload twice on the same broker and producer: cold (first after start) and warm.
 * Each round prints {@code RESULT phase=... rate=... p50=... p99=...} with the machine's busy
 * jiffies and this process's CPU jiffies over the round, and this JVM's peak RSS; needs the
 * Mailstream jar on the class path (load-tests/compare.sh runs it that way).
 */
@Command(
    name = "raw-producer-bench",
    mixinStandardHelpOptions = true,
    description = "Kafka producer baseline on the embedded broker with Mailstream's durability settings.")
public final class RawProducerBench implements Callable<Integer> {
  @Option(names = {"-n", "--records"}, defaultValue = "3000", description = "Records per round.")
  int records;

  @Option(names = {"-s", "--size"}, defaultValue = "4096", description = "Record value size in octets.")
  int size;

  @Option(names = {"-c", "--senders"}, defaultValue = "20", description = "Concurrent senders, each waiting for its ack.")
  int senders;

  @Option(names = "--data-dir", required = true, description = "A fresh directory for the broker's log.")
  Path dataDir;

  @Option(names = "--rounds", defaultValue = "2", description = "Rounds on the same broker: the first is cold, the rest warm.")
  int rounds;

  @Option(names = "--timeseries-prefix", description = "Write each round second by second to PREFIX-<phase>.csv.")
  String timeseriesPrefix;

  // Mailstream's accept-mail partitioning (KafkaPublisher.stickyPartition): one partition for 25 ms,
  // so a produce request touches one partition and concurrent senders share its fsync.
  private static final long STICKY_NANOS = 25_000_000L;

  @Override
  public Integer call() throws Exception {
    MailstreamConfig config = new ConfigBuilder().hostname("raw.bench").dataDir(dataDir.toString()).build();
    PrintStream out = System.out;
    long t0 = System.nanoTime();
    try (EmbeddedKafka broker = EmbeddedKafka.start(config.dataDir().resolve("kafka"), 0)) {
      TopicAdmin.ensure(broker.bootstrap(), config.kafka(), Duration.ofSeconds(60));
      out.printf(Locale.ROOT, "STARTED broker and topics in %.1f s, fsync=%s, partitions=%d%n",
          (System.nanoTime() - t0) / 1e9, config.kafka().fsync(), config.kafka().partitions());
      Topics topics = new Topics(config.kafka());
      try (Producer<String, byte[]> producer =
          new KafkaProducer<>(KafkaClients.producer(broker.bootstrap(), ClientName.of("raw-producer"), config.limits().acceptDeadline()))) {
        boolean allAcked = true;
        for (int r = 0; r < rounds; r++) {
          String phase = r == 0 ? "cold" : "warm";
          allAcked &= round(producer, topics.accepted(), config.kafka().partitions(), phase, out);
        }
        return allAcked ? 0 : 1;
      }
    }
  }

  private boolean round(Producer<String, byte[]> producer, String topic, int partitions, String phase, PrintStream out)
      throws Exception {
    byte[] value = new byte[size];
    Arrays.fill(value, (byte) 'x');
    AtomicInteger next = new AtomicInteger();
    LoadReport report = new LoadReport(records);
    long busy0 = ProcStat.machineBusyJiffies();
    long self0 = ProcStat.selfCpuJiffies();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      Thread t = new Thread(() -> send(producer, topic, partitions, value, next, report, phase), "sender-" + i);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    report.freeze();
    long busy = ProcStat.machineBusyJiffies() - busy0;
    long self = ProcStat.selfCpuJiffies() - self0;
    if (timeseriesPrefix != null) {
      Files.writeString(Path.of(timeseriesPrefix + "-" + phase + ".csv"), report.timeSeries().toCsv(),
          StandardCharsets.US_ASCII);
    }
    out.printf(Locale.ROOT,
        "RESULT phase=%s records=%d acked=%d failed=%d elapsed_s=%.3f rate=%.1f p50=%.2f p99=%.2f"
            + " busy_jiffies=%d self_cpu_jiffies=%d peak_rss_kib=%d%n",
        phase, records, report.accepted(), report.failed(), report.elapsedSeconds(), report.rate(),
        report.percentileMillis(50), report.percentileMillis(99), busy, self, ProcStat.selfPeakRssKib());
    out.flush();
    return report.failed() == 0;
  }

  private static void send(Producer<String, byte[]> producer, String topic, int partitions, byte[] value,
      AtomicInteger next, LoadReport report, String phase) {
    int seq;
    while ((seq = next.getAndIncrement()) < report.capacity()) {
      int partition = (int) ((System.nanoTime() / STICKY_NANOS) % partitions);
      long start = System.nanoTime();
      try {
        producer.send(new ProducerRecord<>(topic, partition, phase + "-" + seq, value)).get();
        report.accepted(System.nanoTime() - start);
      } catch (ExecutionException e) {
        report.failed(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        report.failed(e);
        return;
      }
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RawProducerBench()).execute(args));
  }
}
