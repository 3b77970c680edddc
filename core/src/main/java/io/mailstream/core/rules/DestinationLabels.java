package io.mailstream.core.rules;

import io.mailstream.core.event.Destination;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code destination} label of delivery metrics: the next hop's name when the operator
 * configured it (the smart host, a mailertable host), {@code local} for local delivery, and
 * {@code other} for everything else. Under MX delivery mail goes to as many hosts as there are
 * recipient domains; a label per host would grow Prometheus's series without bound.
 */
public final class DestinationLabels {
  /** The label of every next hop nobody configured. */
  public static final String OTHER = "other";

  private static final DestinationLabels NONE = new DestinationLabels(Set.of());

  private final Set<String> configured;

  DestinationLabels(Set<String> configured) {
    this.configured = Set.copyOf(configured);
  }

  /** Labels for a node with no smart host and no mailertable: {@code local} and {@code other}. */
  public static DestinationLabels none() {
    return NONE;
  }

  /**
   * {@code local}, the destination's host (as routed: a host list keeps its brackets and colons)
   * when every host of it was configured, otherwise {@code other}.
   */
  public String label(Destination d) {
    if (d.isLocal()) {
      return Destination.LOCAL;
    }
    if (d.host() == null || configured.isEmpty()) {
      return OTHER;
    }
    for (Destination hop : d.hops()) {
      if (!configured.contains(hop.host().toLowerCase(Locale.ROOT))) {
        return OTHER;
      }
    }
    return d.host().toLowerCase(Locale.ROOT);
  }
}
