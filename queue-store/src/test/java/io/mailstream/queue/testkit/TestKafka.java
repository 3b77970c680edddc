package io.mailstream.queue.testkit;

import io.mailstream.core.config.KafkaSettings;
import io.mailstream.queue.broker.EmbeddedKafka;
import io.mailstream.queue.topic.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded KRaft broker per test JVM, started on first use and stopped at exit. Tests
 * isolate themselves with {@link #freshTopics()}, which gives each a topic prefix of its own.
 */
public final class TestKafka {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedKafka broker;

  private TestKafka() {}

  /** The bootstrap address of the shared broker, starting it if needed. */
  public static synchronized String bootstrap() {
    if (broker == null) {
      try {
        Path dir = Files.createTempDirectory("mailstream-test-kafka");
        broker = EmbeddedKafka.start(dir, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-kafka-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return broker.bootstrap();
  }

  /** Settings with a unique topic prefix (3 partitions, no fsync); the topics already exist. */
  public static KafkaSettings freshTopics() {
    return freshTopics(3, false);
  }

  public static KafkaSettings freshTopics(int partitions, boolean fsync) {
    String prefix = "t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    KafkaSettings s = new KafkaSettings(null, prefix, partitions, (short) 1, 1, fsync);
    TopicAdmin.ensure(bootstrap(), s, Duration.ofSeconds(60));
    return s;
  }
}
