package io.mailstream.router.route;

import io.mailstream.core.config.HostPort;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import java.util.ArrayList;
import java.util.List;

/**
 * sendmail's simplest relay: recipients in a local domain (class w) go to the local mailer, all
 * others to the SMART_HOST with its mailer. A bracketed smart host ({@code [host]}) is used as is;
 * otherwise its MX records are looked up at delivery time, as sendmail does.
 */
public final class SmartHostRouter implements Router {
  private final MailstreamConfig config;
  private final Destination smartHost;

  public SmartHostRouter(MailstreamConfig config) {
    this.config = config;
    HostPort h = config.smartHost();
    this.smartHost = new Destination(config.smartHostMailer(), h.host(), h.port(), !h.bracketed());
  }

  @Override
  public List<Route> route(MessageAccepted message) {
    List<Route> routes = new ArrayList<>(message.recipients().size());
    for (EnvelopeRecipient r : message.recipients()) {
      Destination d = config.isLocal(r.address()) ? Destination.local() : smartHost;
      routes.add(new Route.To(r, d));
    }
    return routes;
  }
}
