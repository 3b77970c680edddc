package io.mailstream.router.route;

import io.mailstream.core.event.MessageAccepted;
import java.util.List;

/**
 * Decides, for every recipient of an accepted message, where it goes. Implementations are pure and
 * stateless, so any number of router workers may apply them to any partition.
 */
@FunctionalInterface
public interface Router {
  /** One route per recipient, in envelope order. */
  List<Route> route(MessageAccepted message);
}
