package io.mailstream.router.route;

import io.mailstream.core.event.MessageAccepted;

/**
 * Decides, for every recipient of an accepted message, where it goes and how its addresses are
 * rewritten on the way. Implementations are stateless, so any number of router workers may apply
 * them to any partition.
 */
@FunctionalInterface
public interface Router {
  /** The routed groups and the errors, covering every recipient of {@code message}. */
  RoutingPlan plan(MessageAccepted message, long nowMillis);
}
