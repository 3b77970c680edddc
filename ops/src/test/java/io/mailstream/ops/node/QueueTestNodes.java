package io.mailstream.ops.node;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.queue.testkit.TestKafka;
import java.nio.file.Path;
import java.util.List;

/** The configuration of the queue tests' nodes: one delivery thread, retries as the test needs them. */
final class QueueTestNodes {
  private QueueTestNodes() {}

  static ConfigBuilder config(Path dataDir, FakeSmartHost smartHost, String prefix, int partitions, String retry) {
    return new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dataDir.toString())
        .listen(List.of("127.0.0.1:0"))
        .smartHost("127.0.0.1:" + smartHost.port())
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix(prefix)
        .partitions(partitions)
        .deliveryThreads(1)
        .retrySchedule(List.of(retry));
  }
}
