package io.mailstream.ops.node;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.queue.broker.EmbeddedKafka;
import io.mailstream.queue.topic.TopicAdmin;
import io.mailstream.queue.topic.Topics;
import io.mailstream.router.route.SmartHostRouter;
import io.mailstream.router.worker.RouterWorker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Mailstream process: the embedded broker when no cluster is configured, then the stages asked
 * for. Closing stops them in the reverse order, the ingress first so that no new mail arrives
 * while the rest drains.
 */
public final class MailstreamNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MailstreamNode.class);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final MailstreamConfig config;
  private String bootstrap;

  private MailstreamNode(MailstreamConfig config) {
    this.config = config;
  }

  /** Starts everything; on failure stops what was started and rethrows. */
  public static MailstreamNode start(MailstreamConfig config, Set<Stage> stages) {
    MailstreamNode node = new MailstreamNode(config);
    try {
      node.startAll(stages);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startAll(Set<Stage> stages) {
    if (config.kafka().embedded()) {
      EmbeddedKafka broker = EmbeddedKafka.start(config.dataDir().resolve("kafka"), 0);
      running.push(broker);
      bootstrap = broker.bootstrap();
    } else {
      bootstrap = config.kafka().bootstrap();
    }
    TopicAdmin.ensure(bootstrap, config.kafka(), Duration.ofSeconds(60));
    Topics topics = new Topics(config.kafka());
    String nodeName = config.hostname();
    if (stages.contains(Stage.router)) {
      RouterWorker worker = new RouterWorker(bootstrap, topics, () -> new SmartHostRouter(config), nodeName + "-0");
      startThread("router-0", worker);
    }
    log.info("Mailstream {} running stages {} on Kafka {}", nodeName, stages, bootstrap);
  }

  private void startThread(String name, Runnable worker) {
    Thread t = new Thread(worker, name);
    t.start();
    running.push(() -> {
      ((AutoCloseable) worker).close();
      t.join(Duration.ofSeconds(30).toMillis());
    });
  }

  /** The Kafka bootstrap address this node uses (the embedded broker's when embedded). */
  public String bootstrap() {
    return bootstrap;
  }

  public MailstreamConfig config() {
    return config;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
  }
}
