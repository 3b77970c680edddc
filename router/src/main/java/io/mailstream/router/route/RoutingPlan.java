package io.mailstream.router.route;

import io.mailstream.core.event.RecipientRouted;
import java.util.List;

/**
 * What the router writes for one message: one {@link RecipientRouted} per destination, so that
 * delivery sends all recipients for one next hop in a single SMTP transaction as sendmail does, and
 * one error per recipient that goes nowhere.
 */
public record RoutingPlan(List<RecipientRouted> routed, List<Route.Error> errors) {
  public RoutingPlan {
    routed = List.copyOf(routed);
    errors = List.copyOf(errors);
  }
}
