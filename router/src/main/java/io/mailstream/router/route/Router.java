package io.mailstream.router.route;

import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;

/**
 * Decides, for every recipient of an accepted message, where it goes and how its addresses are
 * rewritten on the way. Implementations are stateless, so any number of router workers may apply
 * them to any partition.
 */
public interface Router {
  /** The routed groups and the errors, covering every recipient of {@code message}. */
  RoutingPlan plan(MessageAccepted message, long nowMillis);

  /**
   * New mailers and hosts for recipients routed under rules that have changed since: the
   * recipients stay as the first routing expanded them (no alias is expanded twice), only their
   * next hop is decided again. Covers every recipient of {@code stale}.
   */
  RoutingPlan routeAgain(RecipientRouted stale, long nowMillis);
}
