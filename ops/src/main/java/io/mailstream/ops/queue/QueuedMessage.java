package io.mailstream.ops.queue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.ReplyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message as the projection knows it, updated by {@link QueueIndex} (which guards it) from the
 * events of the accepted, routed, outcomes and control topics in whatever order they arrive.
 */
final class QueuedMessage {
  // The history shown by `show` is bounded: a message retried for days keeps its newest events.
  private static final int MAX_HISTORY = 500;

  /** One recipient's state, with the Kafka timestamp of the event that set it. */
  static final class Recipient {
    final String address;
    RecipientState state = RecipientState.QUEUED;
    long stateAt;
    // Set once a routed event or an outcome names it: from then on it is a recipient delivery
    // works on (an alias expands to others, which replace it in the listing).
    boolean seenByDelivery;
    String destination;
    int attempts;
    long nextAttemptAt;
    ReplyRecord lastReply;
    String relay;

    Recipient(String address) {
      this.address = address;
    }
  }

  final String queueId;
  MessageAccepted accepted;
  BodyRef body;
  boolean held;
  boolean deleted;
  // Replays: the copies made of this message, and the message this one is a copy of.
  final List<String> replays = new ArrayList<>();
  String replayOf;
  final Map<String, Recipient> recipients = new LinkedHashMap<>();
  final List<Views.History> history = new ArrayList<>();

  QueuedMessage(String queueId) {
    this.queueId = queueId;
  }

  Recipient recipient(MailAddress address) {
    return recipients.computeIfAbsent(address.toString(), Recipient::new);
  }

  /**
   * Moves a recipient to {@code state} unless it has left the queue, or a later event already
   * moved it (the topics are read side by side, so a deferral may arrive before its routing).
   */
  boolean move(Recipient r, RecipientState state, long at) {
    if (r.state.isFinal() || (at < r.stateAt && !state.isFinal())) {
      return false;
    }
    r.state = state;
    r.stateAt = at;
    return true;
  }

  void remember(long at, String event, String recipient, String text) {
    history.add(history(at, event, recipient, text));
    if (history.size() > MAX_HISTORY) {
      history.remove(0);
    }
  }

  static Views.History history(long at, String event, String recipient, String text) {
    return new Views.History(Instant.ofEpochMilli(at).toString(), at, event, recipient, text);
  }

  /** The recipients delivery works on once it has seen any, else those of the envelope. */
  List<Recipient> shown() {
    List<Recipient> seen = recipients.values().stream().filter(r -> r.seenByDelivery).toList();
    return seen.isEmpty() ? List.copyOf(recipients.values()) : seen;
  }

  /**
   * Whether the message is still in the queue: not deleted, with a recipient to do. A hold given
   * while the last attempt was under way does not keep a message that attempt finished.
   */
  boolean pending() {
    return !deleted && shown().stream().anyMatch(r -> !r.state.isFinal());
  }

  /** The summary state: held and deleted first, then the least advanced recipient's. */
  String state() {
    if (deleted) {
      return "deleted";
    }
    if (held && pending()) {
      return "held";
    }
    List<Recipient> rs = shown();
    if (rs.stream().anyMatch(r -> r.state == RecipientState.DEFERRED)) {
      return "deferred";
    }
    if (rs.stream().anyMatch(r -> !r.state.isFinal())) {
      return "queued";
    }
    return rs.stream().anyMatch(r -> r.state == RecipientState.BOUNCED) ? "bounced" : "delivered";
  }

  /** Whether the message or one of its recipients is in {@code state} (a summary or recipient state name). */
  boolean inState(String state) {
    return state().equals(state) || shown().stream().anyMatch(r -> r.state.label().equals(state))
        || (state.equals("queued") && shown().stream().anyMatch(r -> r.state == RecipientState.ROUTED));
  }

  Views.Message view(boolean delivering) {
    MessageAccepted m = accepted;
    List<Views.Recipient> rs = new ArrayList<>();
    for (Recipient r : shown()) {
      rs.add(new Views.Recipient(r.address, r.state.label(), r.destination, r.attempts,
          r.state == RecipientState.DEFERRED && r.nextAttemptAt > 0 ? Instant.ofEpochMilli(r.nextAttemptAt).toString() : null,
          r.lastReply == null ? null : r.lastReply.toString(), r.relay,
          r.stateAt > 0 ? Instant.ofEpochMilli(r.stateAt).toString() : null));
    }
    long arrival = m == null ? 0 : m.acceptedAtMillis();
    return new Views.Message(queueId, m == null ? 0 : m.body().size(),
        m == null ? null : Instant.ofEpochMilli(arrival).toString(), arrival,
        m == null ? null : m.sender().toString(),
        m == null ? null : client(m), m == null ? null : m.messageId(), state(), held, deleted, delivering, rs);
  }

  private static String client(MessageAccepted m) {
    String name = m.client().hostname() == null ? m.client().helo() : m.client().hostname();
    return name + " [" + m.client().address() + "]";
  }
}
