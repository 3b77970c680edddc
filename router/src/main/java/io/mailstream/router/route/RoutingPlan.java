package io.mailstream.router.route;

import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a message's routes by destination: one {@link RecipientRouted} per destination, so that
 * delivery sends all recipients for one next hop in a single SMTP transaction, as sendmail does.
 */
public record RoutingPlan(List<RecipientRouted> routed, List<Route.Error> errors) {

  public static RoutingPlan of(MessageAccepted message, List<Route> routes, long nowMillis) {
    Map<Destination, List<EnvelopeRecipient>> groups = new LinkedHashMap<>();
    List<Route.Error> errors = new ArrayList<>();
    for (Route r : routes) {
      if (r instanceof Route.To to) {
        groups.computeIfAbsent(to.destination(), d -> new ArrayList<>()).add(to.recipient());
      } else {
        errors.add((Route.Error) r);
      }
    }
    List<RecipientRouted> routed = new ArrayList<>(groups.size());
    groups.forEach(
        (destination, recipients) ->
            routed.add(
                new RecipientRouted(
                    message, message.sender(), destination, recipients, List.of(), nowMillis)));
    return new RoutingPlan(routed, errors);
  }
}
