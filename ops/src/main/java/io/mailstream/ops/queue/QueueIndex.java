package io.mailstream.ops.queue;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.DeliveryAttempted;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.QueueCommand;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.RerouteRequested;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The queue as an administrator sees it: per message and per recipient state, derived only from
 * the events the pipeline writes anyway (accepted, routed, outcomes) and the administrators' orders
 * (control), so that the message path does not write a byte more for it. Every node builds its own
 * from the topics ({@link QueueFollower}), so any node answers for the whole cluster.
 *
 * <p>The topics are read side by side, so events of one message may arrive out of order: a
 * recipient that has left the queue stays gone, and otherwise the event with the later Kafka
 * timestamp wins.
 *
 * <p>Only mail still in the queue is kept in memory, so the heap holds as much as the queue does.
 * A message that leaves it goes to {@link FinishedMessages} on disk, and comes back into memory
 * for the moment an event arrives for it late (an alias member routed after the others were
 * delivered, a replay, an order).
 */
public final class QueueIndex implements AutoCloseable {
  private final Map<String, QueuedMessage> messages = new HashMap<>();
  private final FinishedMessages finished;

  private QueueIndex(FinishedMessages finished) {
    this.finished = finished;
  }

  /** An empty view keeping the mail that has left the queue under {@code dir} (emptied first). */
  public static QueueIndex open(Path dir) {
    return new QueueIndex(FinishedMessages.openEmpty(dir));
  }

  /** Applies one event, read at {@code timestamp} from {@code partition}/{@code offset} of its topic. */
  public synchronized void apply(MailEvent event, int partition, long offset, long timestamp) {
    QueuedMessage m = open(event.queueId());
    if (event instanceof MessageAccepted a) {
      accepted(m, a, partition, offset);
    } else if (event instanceof RecipientRouted r) {
      routed(m, r, timestamp);
    } else if (event instanceof RerouteRequested q) {
      for (EnvelopeRecipient e : q.routed().recipients()) {
        m.move(m.recipient(e.address()), RecipientState.QUEUED, timestamp);
      }
      m.remember(q.requestedAtMillis(), "requeued", null,
          q.routed().recipients().size() + " recipient(s) handed back to the router from " + q.routed().destination().key());
    } else if (event instanceof DeliveryAttempted a) {
      m.remember(a.attemptedAtMillis(), "attempted", a.recipient().toString(),
          "attempt " + a.attempt() + " via " + a.relay() + ": " + a.reply());
    } else if (event instanceof Delivered d) {
      QueuedMessage.Recipient r = outcome(m, d.recipient().toString(), d.relay(), d.reply());
      m.move(r, RecipientState.DELIVERED, timestamp);
      m.remember(d.deliveredAtMillis(), "delivered", r.address, d.relay() + ": " + d.reply());
    } else if (event instanceof Deferred d) {
      QueuedMessage.Recipient r = outcome(m, d.recipient().toString(), d.relay(), d.reply());
      if (m.move(r, RecipientState.DEFERRED, timestamp)) {
        r.attempts = d.attempts();
        r.nextAttemptAt = d.nextAttemptAtMillis();
      }
      m.remember(timestamp, "deferred", r.address, d.relay() + ": " + d.reply());
    } else if (event instanceof Bounced b) {
      QueuedMessage.Recipient r = outcome(m, b.recipient().toString(), b.relay(), b.reply());
      m.move(r, RecipientState.BOUNCED, timestamp);
      m.remember(b.bouncedAtMillis(), "bounced", r.address, b.relay() + ": " + b.reply());
    }
    settle(m);
  }

  /** The message with this queue id, in memory from now on (until {@link #settle}): read back from disk, or new. */
  private QueuedMessage open(String queueId) {
    QueuedMessage m = messages.get(queueId);
    if (m == null) {
      m = finished.get(queueId).orElse(null);
      if (m == null) {
        m = new QueuedMessage(queueId);
      } else {
        finished.remove(m);
      }
      messages.put(queueId, m);
    }
    return m;
  }

  /** Moves {@code m} to disk once it has left the queue; until its accepted event is read it stays. */
  private void settle(QueuedMessage m) {
    if (m.accepted != null && !m.pending()) {
      finished.put(m);
      messages.remove(m.queueId);
    }
  }

  /** The message with this queue id wherever it is kept; one read from disk is a copy. */
  private QueuedMessage lookup(String queueId) {
    QueuedMessage m = messages.get(queueId);
    return m != null ? m : finished.get(queueId).orElse(null);
  }

  /** How many messages are held in memory: those still queued, and those whose accepted event is not read yet. */
  synchronized int inMemory() {
    return messages.size();
  }

  /**
   * Forgets the messages that have left the queue (delivered, bounced or deleted) and were accepted
   * before {@code beforeMillis}: the topics no longer hold them, so neither does the view. Returns
   * how many.
   */
  public synchronized int forget(long beforeMillis) {
    return finished.forget(beforeMillis);
  }

  /** Applies an administrator's order. */
  public synchronized void apply(QueueCommand c) {
    String verb = c.verb().name().toLowerCase(Locale.ROOT);
    for (String id : c.queueIds()) {
      QueuedMessage m = open(id);
      switch (c.verb()) {
        case HOLD -> m.held = true;
        case RELEASE -> m.held = false;
        case DELETE -> {
          m.deleted = true;
          m.held = false;
        }
        case FLUSH, REQUEUE -> { }
      }
      m.remember(c.issuedAtMillis(), verb, null, "by " + c.issuedBy());
      settle(m);
    }
  }

  private void accepted(QueuedMessage m, MessageAccepted read, int partition, long offset) {
    // The view keeps where the body is, never an inline body itself: the queue's octets stay in Kafka.
    MessageAccepted a = read.storedAt(partition, offset);
    m.accepted = a;
    ReplayTrace.originalOf(a.receivedHeader()).ifPresent(original -> {
      m.replayOf = original;
      QueuedMessage o = open(original);
      if (!o.replays.contains(m.queueId)) {
        o.replays.add(m.queueId);
        o.remember(a.acceptedAtMillis(), "replayed", null, "as " + m.queueId + " to " + a.recipients().size()
            + " recipient(s)");
      }
      settle(o);
    });
    m.body = a.body();
    for (EnvelopeRecipient e : a.recipients()) {
      m.recipient(e.address());
    }
    m.remember(a.acceptedAtMillis(), "accepted", null, "from " + a.sender().bracketed() + " (" + a.client().protocol()
        + " from " + a.client().helo() + " [" + a.client().address() + "]), " + a.body().size() + " octets, "
        + a.recipients().size() + " recipient(s)");
  }

  private static void routed(QueuedMessage m, RecipientRouted r, long timestamp) {
    if (m.accepted == null) {
      m.accepted = r.message();
      m.body = r.message().body();
    }
    for (EnvelopeRecipient e : r.recipients()) {
      QueuedMessage.Recipient rcpt = m.recipient(e.address());
      rcpt.seenByDelivery = true;
      if (m.move(rcpt, RecipientState.ROUTED, timestamp)) {
        rcpt.destination = r.destination().key();
      }
    }
    m.remember(r.routedAtMillis(), "routed", null, r.recipients().stream().map(e -> e.address().bracketed())
        .reduce((x, y) -> x + ", " + y).orElse("") + " to " + r.destination().key());
  }

  private static QueuedMessage.Recipient outcome(QueuedMessage m, String address, String relay, io.mailstream.core.event.ReplyRecord reply) {
    QueuedMessage.Recipient r = m.recipients.computeIfAbsent(address, QueuedMessage.Recipient::new);
    r.seenByDelivery = true;
    r.lastReply = reply;
    r.relay = relay;
    return r;
  }

  /**
   * The messages still in the queue by summary state ({@code queued}, {@code deferred}, {@code
   * held}: the state {@code mailq} shows), each with its count and the arrival of its oldest
   * message: what the queue gauges show. One pass under the lock, without building any views.
   */
  public synchronized Map<String, StateCount> countByState() {
    Map<String, StateCount> out = new HashMap<>();
    for (QueuedMessage m : messages.values()) {
      if (!m.pending()) {
        continue;
      }
      long arrival = m.accepted == null ? Long.MAX_VALUE : m.accepted.acceptedAtMillis();
      out.merge(m.state(), new StateCount(1, arrival),
          (a, b) -> new StateCount(a.messages() + 1, Math.min(a.oldestArrivalMillis(), b.oldestArrivalMillis())));
    }
    return out;
  }

  /**
   * How many messages are in one state, and when the oldest of them arrived ({@link Long#MAX_VALUE}
   * while no accepted event of theirs is read).
   */
  public record StateCount(int messages, long oldestArrivalMillis) {}

  /** The messages {@code filter} selects, in arrival order, with {@code delivering} telling which have an attempt under way. */
  public synchronized List<Views.Message> select(QueueFilter filter, long now, Predicate<String> delivering) {
    List<Views.Message> out = new ArrayList<>();
    for (QueuedMessage m : matching(filter, now)) {
      out.add(m.view(delivering.test(m.queueId)));
    }
    return out;
  }

  /** The queue ids {@code filter} selects, in arrival order, among messages {@code eligible} accepts. */
  synchronized List<String> ids(QueueFilter filter, long now, Predicate<Views.Message> eligible) {
    List<String> out = new ArrayList<>();
    for (QueuedMessage m : matching(filter, now)) {
      if (eligible.test(m.view(false))) {
        out.add(m.queueId);
      }
    }
    return out;
  }

  private List<QueuedMessage> matching(QueueFilter filter, long now) {
    List<QueuedMessage> out = new ArrayList<>();
    for (QueuedMessage m : messages.values()) {
      if (filter.matches(m, now)) {
        out.add(m);
      }
    }
    if (filter.wantsFinished()) {
      if (filter.ids().isEmpty()) {
        finished.forEach(m -> {
          if (filter.matches(m, now)) {
            out.add(m);
          }
        });
      } else {
        for (String id : filter.ids()) {
          finished.get(id).filter(m -> filter.matches(m, now)).ifPresent(out::add);
        }
      }
    }
    out.sort(Comparator.comparingLong((QueuedMessage m) -> m.accepted == null ? Long.MAX_VALUE : m.accepted.acceptedAtMillis())
        .thenComparing(m -> m.queueId));
    return out;
  }

  /**
   * What a replay of the messages {@code filter} selects would send: per message, the recipients
   * the filter names that have left the queue without delivery (bounced, or deleted), and with
   * {@code force} those delivered too; a recipient a replayed copy delivered counts as delivered.
   * Recipients still queued are never sent: their own delivery goes on.
   */
  synchronized List<ReplayPlan> replayable(QueueFilter filter, long now, boolean force) {
    QueueFilter any = new QueueFilter(filter.ids(), filter.domain(), filter.sender(), filter.olderThan(),
        filter.newerThan(), filter.states(), true, filter.destination(), filter.recipientContains(), filter.idContains());
    List<ReplayPlan> out = new ArrayList<>();
    for (QueuedMessage m : matching(any, now)) {
      if (m.accepted == null) {
        out.add(new ReplayPlan(m.queueId, null, null, List.of(), List.of(new Skip(null, "its accepted event is not read yet"))));
        continue;
      }
      List<String> send = new ArrayList<>();
      List<Skip> skipped = new ArrayList<>();
      for (QueuedMessage.Recipient r : m.shown()) {
        if (!filter.covers(r) || (!filter.states().isEmpty() && !filter.states().contains(r.state.label())
            && !filter.states().contains(m.state()))) {
          continue;
        }
        if (deliveredTo(m, r.address, 0) && !force) {
          skipped.add(new Skip(r.address, "already delivered (--force sends it again)"));
        } else if (!r.state.isFinal() && !m.deleted) {
          skipped.add(new Skip(r.address, "still queued (" + m.state() + "): its own delivery goes on"));
        } else {
          send.add(r.address);
        }
      }
      out.add(new ReplayPlan(m.queueId, m.accepted, m.body, send, skipped));
    }
    return out;
  }

  // Copies of copies are followed a few levels deep; a loop cannot arise (ids are new), the bound only guards.
  private boolean deliveredTo(QueuedMessage m, String address, int depth) {
    QueuedMessage.Recipient r = m.recipients.get(address);
    if (r != null && r.state == RecipientState.DELIVERED) {
      return true;
    }
    for (String copy : depth > 8 ? List.<String>of() : m.replays) {
      QueuedMessage c = lookup(copy);
      if (c != null && deliveredTo(c, address, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  /** A recipient a replay leaves out, and why. */
  public record Skip(String recipient, String reason) {}

  /** One message of a replay: its accepted event and body, who is sent to, who is left out. */
  record ReplayPlan(String queueId, MessageAccepted accepted, BodyRef body, List<String> send, List<Skip> skipped) {}

  /** Whether a message with this queue id was read from the topics. */
  synchronized boolean known(String queueId) {
    QueuedMessage m = lookup(queueId);
    return m != null && m.accepted != null;
  }

  /** One message with its history, and where its body is (for the header section), if known. */
  public synchronized Optional<Found> find(String queueId, boolean delivering) {
    QueuedMessage m = lookup(queueId);
    if (m == null || (m.accepted == null && m.recipients.isEmpty())) {
      return Optional.empty();
    }
    List<Views.History> history = m.history.stream().sorted(Comparator.comparingLong(Views.History::atMillis)).toList();
    return Optional.of(new Found(m.view(delivering), history, m.accepted, m.body));
  }

  /** What {@link #find} returns: the view, the history, and the accepted event and body reference (null if not read yet). */
  public record Found(Views.Message message, List<Views.History> history, MessageAccepted accepted, BodyRef body) {}

  @Override
  public synchronized void close() {
    finished.close();
  }
}
