package io.mailstream.ingress.publish;

import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows whether the queue can be reached, so that new SMTP sessions can be told {@code 421} at once
 * instead of taking a whole message only to answer {@code 451}. It asks the cluster for its nodes
 * every interval; a failed publish marks the queue down until the next successful check, so the
 * ingress resumes by itself when the broker returns.
 */
public final class QueueProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueProbe.class);

  private final Admin admin;
  private final Duration interval;
  private final ScheduledExecutorService timer;
  private volatile boolean reachable = true;

  public QueueProbe(String bootstrap, Duration interval) {
    Properties p = KafkaClients.admin(bootstrap, ClientName.of("ingress-probe"), interval);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, (int) interval.toMillis());
    this.admin = Admin.create(p);
    this.interval = interval;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mailstream-queue-probe");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the last check reached the cluster and no publish has failed since. */
  public boolean reachable() {
    return reachable;
  }

  /** A publish failed: treat the queue as unreachable until a check says otherwise. */
  public void suspect() {
    set(false, "a publish failed");
  }

  private void check() {
    try {
      var nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) interval.toMillis()))
              .nodes()
              .get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
      set(!nodes.isEmpty(), "the cluster has no nodes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      set(false, e.getClass().getSimpleName());
    }
  }

  private synchronized void set(boolean now, String why) {
    if (now == reachable) {
      return;
    }
    reachable = now;
    if (now) {
      LOG.info("queue reachable again: accepting new sessions");
    } else {
      LOG.error("queue unreachable ({}): new sessions get 421 until it returns", why);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
