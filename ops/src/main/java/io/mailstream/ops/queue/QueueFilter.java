package io.mailstream.ops.queue;

import io.mailstream.core.config.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which messages a listing or an order is about: queue ids, a recipient domain, a sender, an age,
 * states. Criteria combine with AND; an empty filter selects every message still queued. The same
 * query parameters on every endpoint: {@code id} (repeatable), {@code domain}, {@code sender},
 * {@code older-than}, {@code newer-than} (durations: 30m, 4h, 2d), {@code state} (comma-separated),
 * {@code all} (also messages that have left the queue), {@code destination} (a recipient routed to a
 * destination whose key contains it: {@code [smtp.corp.example]}), and sendmail's queue-run
 * limits: {@code recipient-contains} (a recipient address containing it, in any case: {@code
 * sendmail -qR}) and {@code id-contains} (a queue id containing it: {@code sendmail -qI}).
 */
public record QueueFilter(
    Set<String> ids, String domain, String sender, Duration olderThan, Duration newerThan, Set<String> states,
    boolean all, String destination, String recipientContains, String idContains) {

  static final Set<String> STATES = Set.of("queued", "deferred", "held", "delivered", "bounced", "deleted");

  public QueueFilter {
    ids = Set.copyOf(ids);
    states = Set.copyOf(states);
    for (String s : states) {
      if (!STATES.contains(s)) {
        throw new IllegalArgumentException("unknown state '" + s + "' (one of queued, deferred, held, delivered, bounced, deleted)");
      }
    }
  }

  /** Whether nothing narrows the selection: an order with such a filter needs {@code all}. */
  public boolean empty() {
    return ids.isEmpty() && domain == null && sender == null && olderThan == null && newerThan == null && states.isEmpty()
        && destination == null && recipientContains == null && idContains == null;
  }

  /**
   * Reads the query parameters.
   *
   * @throws IllegalArgumentException naming the parameter that is wrong
   */
  public static QueueFilter of(Map<String, List<String>> query) {
    List<String> states = new ArrayList<>();
    for (String s : query.getOrDefault("state", List.of())) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          states.add(part.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return new QueueFilter(Set.copyOf(query.getOrDefault("id", List.of())), lower(one(query, "domain")),
        lower(one(query, "sender")), duration(query, "older-than"), duration(query, "newer-than"), Set.copyOf(states),
        "true".equals(one(query, "all")), lower(one(query, "destination")), lower(one(query, "recipient-contains")),
        one(query, "id-contains"));
  }

  /** Whether mail that has left the queue can match: with {@code all}, or a state of such mail. */
  boolean wantsFinished() {
    return all || states.stream().anyMatch(s -> !s.equals("queued") && !s.equals("deferred") && !s.equals("held"));
  }

  boolean matches(QueuedMessage m, long now) {
    if ((!ids.isEmpty() && !ids.contains(m.queueId)) || (idContains != null && !m.queueId.contains(idContains))) {
      return false;
    }
    if (!wantsFinished() && !m.pending()) {
      return false;
    }
    if (!states.isEmpty() && states.stream().noneMatch(m::inState)) {
      return false;
    }
    if (m.accepted == null) {
      // Outcomes read before their message's accepted event: nothing to filter on yet.
      return domain == null && sender == null && olderThan == null && newerThan == null && destination == null
          && recipientContains == null;
    }
    long age = now - m.accepted.acceptedAtMillis();
    if ((olderThan != null && age < olderThan.toMillis()) || (newerThan != null && age > newerThan.toMillis())) {
      return false;
    }
    if (sender != null) {
      String s = m.accepted.sender().toString().toLowerCase(Locale.ROOT);
      if (!s.equals(sender) && !s.endsWith("@" + sender)) {
        return false;
      }
    }
    return m.shown().stream().anyMatch(this::covers);
  }

  /**
   * Whether a recipient is one the filter names: in its domain, at its destination and containing
   * its text when they are given (a replay sends only those of a message).
   */
  boolean covers(QueuedMessage.Recipient r) {
    String address = r.address.toLowerCase(Locale.ROOT);
    return (domain == null || address.endsWith("@" + domain))
        && (recipientContains == null || address.contains(recipientContains))
        && (destination == null || (r.destination != null && r.destination.toLowerCase(Locale.ROOT).contains(destination)));
  }

  private static String one(Map<String, List<String>> query, String name) {
    List<String> v = query.getOrDefault(name, List.of());
    if (v.size() > 1) {
      throw new IllegalArgumentException(name + ": given " + v.size() + " times");
    }
    return v.isEmpty() || v.get(0).isBlank() ? null : v.get(0).strip();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static Duration duration(Map<String, List<String>> query, String name) {
    String v = one(query, name);
    try {
      return v == null ? null : DurationText.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }
}
