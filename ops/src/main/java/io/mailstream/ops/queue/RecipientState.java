package io.mailstream.ops.queue;

import java.util.Locale;

/** Where one recipient of a queued message stands, as the events so far tell it. */
public enum RecipientState {
  /** Accepted, not yet routed (or handed back to the router by a requeue or a rule change). */
  QUEUED,
  /** Routed to a destination; its first attempt has not finished. */
  ROUTED,
  /** An attempt failed temporarily; the next one is scheduled. */
  DEFERRED,
  /** The next hop took it: it has left the queue. */
  DELIVERED,
  /** Failed permanently, or the queue lifetime ran out: it has left the queue. */
  BOUNCED;

  /** Whether the recipient has left the queue; later events cannot bring it back. */
  public boolean isFinal() {
    return this == DELIVERED || this == BOUNCED;
  }

  /** The name in JSON, filters and the mailq listing: {@code deferred}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
