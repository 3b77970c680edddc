package io.mailstream.core.event;

/**
 * Delivery hands recipients back to the router, at the attempt that found their routing out of
 * date: they were routed under rules that have changed since (another smart host, a new
 * mailertable entry), or the router could not place them yet ({@link Destination#REROUTE}). The
 * router routes them again under the rules it has then and writes new {@link RecipientRouted}
 * events; delivery retired the retry entry in the same Kafka transaction as this event, so the
 * recipients are neither lost nor sent twice.
 *
 * <p>Recipients already expanded (any destination but {@code reroute}) get a new mailer and host
 * only: aliases and the virtusertable are not applied a second time. Recipients the router never
 * placed are routed from the start.
 *
 * @param routed the stale routing, recipients reduced to those still to deliver
 * @param requestedAtMillis when delivery handed them back
 */
public record RerouteRequested(RecipientRouted routed, long requestedAtMillis) implements MailEvent {

  /** Whether the router must route the recipients from the start (it never placed them). */
  public boolean fromTheStart() {
    return routed.destination().isReroute();
  }

  @Override
  public String queueId() {
    return routed.queueId();
  }
}
