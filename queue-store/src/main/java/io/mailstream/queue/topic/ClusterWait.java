package io.mailstream.queue.topic;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a Kafka cluster that is not there yet: a process of a stage started before the
 * brokers (or during their restart) waits, saying so in one line every few seconds, instead of
 * giving up. Stopping the process is the way to give up.
 */
final class ClusterWait {
  private static final Logger log = LoggerFactory.getLogger(ClusterWait.class);
  static final Duration EVERY = Duration.ofSeconds(5);

  private ClusterWait() {}

  /** Returns the number of brokers once the cluster at {@code bootstrap} answers. */
  static int brokers(String bootstrap) throws InterruptedException {
    long started = System.nanoTime();
    int attempt = 0;
    while (true) {
      attempt++;
      long attemptStarted = System.nanoTime();
      String why;
      try {
        return describe(bootstrap);
      } catch (ExecutionException e) {
        why = e.getCause().toString();
      } catch (TimeoutException e) {
        why = "no answer within " + EVERY.toSeconds() + " s";
      } catch (KafkaException e) {
        // An unresolvable bootstrap name: DNS may come up with the brokers.
        why = e.toString();
      }
      long waited = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      log.warn("waiting for Kafka at {} ({} s so far, attempt {}): {}; trying again every {} s",
          bootstrap, waited, attempt, why, EVERY.toSeconds());
      // One attempt every EVERY: a refused connection fails at once, a silent cluster takes the time-out.
      long rest = EVERY.toMillis() - Duration.ofNanos(System.nanoTime() - attemptStarted).toMillis();
      if (rest > 0) {
        Thread.sleep(rest);
      }
    }
  }

  private static int describe(String bootstrap) throws InterruptedException, ExecutionException, TimeoutException {
    int ms = (int) EVERY.toMillis();
    Properties p = KafkaClients.admin(bootstrap, ClientName.of("cluster-wait"), EVERY);
    try (Admin admin = Admin.create(p)) {
      return admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes().get(ms, TimeUnit.MILLISECONDS).size();
    }
  }
}
