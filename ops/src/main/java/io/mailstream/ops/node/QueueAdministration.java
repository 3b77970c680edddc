package io.mailstream.ops.node;

import io.mailstream.ops.admin.AdminToken;
import io.mailstream.ops.admin.DeadLetterEndpoints;
import io.mailstream.ops.admin.QueueEndpoints;
import io.mailstream.ops.queue.DeadLetterBox;
import io.mailstream.ops.queue.HeaderSection;
import io.mailstream.ops.queue.QueueFollower;
import io.mailstream.ops.queue.QueueIndex;
import io.mailstream.ops.queue.QueueOrders;
import io.mailstream.ops.queue.Replayer;
import io.mailstream.queue.state.QueueControl;
import io.mailstream.queue.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in administering the queue: its view of the whole queue and the administrators'
 * orders, followed from the topics, and the admin endpoints over them (listing, orders, replay,
 * dead letters). Started before the delivery workers, which obey {@link #control()}.
 */
final class QueueAdministration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueAdministration.class);

  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private final QueueControl control = new QueueControl();
  private final QueueIndex index;
  private final QueueEndpoints queue;
  private final DeadLetterEndpoints deadLetters;

  /**
   * Follows the topics and waits until the orders given before this start are applied.
   *
   * @param viewDir where the view keeps the mail that has left the queue (emptied at start: it is read again)
   * @param retention how long the topics keep mail: the view forgets finished messages as old
   * @param node this node's name for the history of orders and replays (host/node id)
   * @param delivering whether this node has an attempt for a queue id under way
   */
  QueueAdministration(String bootstrap, Topics topics, Path viewDir, Duration retention, String node, AdminToken token,
      Predicate<String> delivering) {
    this.index = own(QueueIndex.open(viewDir));
    try {
      QueueFollower follower = own(new QueueFollower(bootstrap, topics, index, control, retention));
      follower.awaitControl(Duration.ofSeconds(60));
      QueueOrders orders = own(new QueueOrders(bootstrap, topics, index, control, node, delivering));
      HeaderSection headers = own(new HeaderSection(bootstrap, topics));
      Replayer replayer = own(new Replayer(bootstrap, topics, index, node));
      this.queue = new QueueEndpoints(index, orders, replayer, headers, token, delivering, follower::caughtUp);
      this.deadLetters = new DeadLetterEndpoints(own(new DeadLetterBox(bootstrap, topics)), token);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while reading the control topic", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T own(T part) {
    parts.push(part);
    return part;
  }

  /** The orders as this node has applied them, for its delivery workers. */
  QueueControl control() {
    return control;
  }

  /** This node's view of the whole queue, for the queue gauges. */
  QueueIndex index() {
    return index;
  }

  QueueEndpoints queueEndpoints() {
    return queue;
  }

  DeadLetterEndpoints deadLetterEndpoints() {
    return deadLetters;
  }

  @Override
  public void close() {
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception e) {
        log.warn("error while stopping the queue administration: {}", e.toString());
      }
    }
  }
}
