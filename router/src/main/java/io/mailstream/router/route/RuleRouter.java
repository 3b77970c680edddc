package io.mailstream.router.route;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.envelope.MailLog;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.rules.Resolved;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.rules.Trace;
import io.mailstream.core.rules.rewrite.HeaderAddressRewriter;
import io.mailstream.core.rules.rewrite.HeaderSection;
import io.mailstream.core.rules.rewrite.Mailer;
import io.mailstream.core.rules.rewrite.Masquerader;
import io.mailstream.core.rules.rewrite.Position;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes with sendmail's rules ({@link RuleSet}): resolves every recipient, groups them by
 * destination, and rewrites the envelope sender and the header addresses for each destination's
 * mailer (masquerading, genericstable) as header edits, so the body is never copied. Recipients
 * handed back by delivery because the rules changed are given a new mailer and host only.
 */
public final class RuleRouter implements Router {
  private static final Logger log = LoggerFactory.getLogger(RuleRouter.class);

  private final RuleSet rules;
  private final HeaderSource headers;

  public RuleRouter(RuleSet rules, HeaderSource headers) {
    this.rules = rules;
    this.headers = headers;
  }

  @Override
  public RoutingPlan plan(MessageAccepted message, long nowMillis) {
    Map<Destination, List<EnvelopeRecipient>> groups = new LinkedHashMap<>();
    List<Route.Error> errors = new ArrayList<>();
    for (EnvelopeRecipient r : message.recipients()) {
      Trace trace = new Trace();
      for (Resolved resolved : rules.resolve(r.address(), trace)) {
        if (resolved instanceof Resolved.Deliver d) {
          groups.computeIfAbsent(d.destination(), k -> new ArrayList<>())
              .add(new EnvelopeRecipient(d.recipient(), r.notifyOn(), r.orcpt() != null ? r.orcpt() : orcpt(r, d)));
        } else {
          Resolved.Fail f = (Resolved.Fail) resolved;
          ReplyRecord reply = ReplyRecord.of(f.reply().toReply());
          if (f.reply().isTemporary()) {
            // Routed again later by way of delivery's retry state; see Destination.REROUTE.
            groups.computeIfAbsent(Destination.reroute(), k -> new ArrayList<>()).add(r);
            MailLog.LOG.info("{}: to={}, stat=Deferred: {} (will route again)", message.queueId(), r.address().bracketed(), reply);
          } else {
            errors.add(new Route.Error(r, reply));
          }
        }
      }
      if (log.isDebugEnabled()) {
        log.debug("{}: {}\n{}", message.queueId(), r.address().bracketed(), trace);
      }
    }
    return new RoutingPlan(routedGroups(message, groups, nowMillis), errors);
  }

  @Override
  public RoutingPlan routeAgain(RecipientRouted stale, long nowMillis) {
    Map<Destination, List<EnvelopeRecipient>> groups = new LinkedHashMap<>();
    List<Route.Error> errors = new ArrayList<>();
    for (EnvelopeRecipient r : stale.recipients()) {
      Trace trace = new Trace();
      Resolved resolved = rules.routeAgain(r.address(), trace);
      if (resolved instanceof Resolved.Deliver d) {
        groups.computeIfAbsent(d.destination(), k -> new ArrayList<>())
            .add(new EnvelopeRecipient(d.recipient(), r.notifyOn(), r.orcpt()));
        MailLog.LOG.info("{}: to={}, routing changed, was {}, now {}", stale.queueId(), r.address().bracketed(),
            stale.destination().key(), d.destination().key());
      } else {
        Resolved.Fail f = (Resolved.Fail) resolved;
        ReplyRecord reply = ReplyRecord.of(f.reply().toReply());
        if (f.reply().isTemporary()) {
          // Waits for the router again, as at the first routing; see Destination.REROUTE.
          groups.computeIfAbsent(Destination.reroute(), k -> new ArrayList<>()).add(r);
          MailLog.LOG.info("{}: to={}, stat=Deferred: {} (will route again)", stale.queueId(), r.address().bracketed(), reply);
        } else {
          errors.add(new Route.Error(r, reply));
        }
      }
      if (log.isDebugEnabled()) {
        log.debug("{}: {} routed again\n{}", stale.queueId(), r.address().bracketed(), trace);
      }
    }
    return new RoutingPlan(routedGroups(stale.message(), groups, nowMillis), errors);
  }

  /**
   * One event per destination, with the envelope sender and header edits for its mailer. Every
   * event carries the fingerprint of these rules, so that delivery can tell when they changed.
   */
  private List<RecipientRouted> routedGroups(
      MessageAccepted message, Map<Destination, List<EnvelopeRecipient>> groups, long nowMillis) {
    List<RecipientRouted> routed = new ArrayList<>(groups.size());
    byte[] head = null;
    for (Map.Entry<Destination, List<EnvelopeRecipient>> g : groups.entrySet()) {
      if (g.getKey().isReroute()) {
        routed.add(new RecipientRouted(message, message.sender(), g.getKey(), g.getValue(), List.of(), nowMillis,
            rules.fingerprint()));
        continue;
      }
      Mailer mailer = g.getKey().isLocal() ? Mailer.LOCAL : Mailer.SMTP;
      Masquerader m = rules.masquerader();
      MailAddress sender =
          message.sender().isNullSender()
              ? message.sender()
              : m.rewrite(message.sender(), Position.ENVELOPE_SENDER, mailer, new Trace());
      if (head == null) {
        head = head(message);
      }
      routed.add(new RecipientRouted(withAddedFrom(message, m, mailer), sender, g.getKey(), g.getValue(),
          headerEdits(head, m, mailer), nowMillis, rules.fingerprint()));
    }
    return routed;
  }

  /**
   * {@code message} with the From its node added (a local submission that had none, see the
   * ingress's MissingFields) rewritten for {@code mailer} like a From in the body. That field
   * travels with the trace field in {@code receivedHeader}, not in the body, so the header edits
   * cannot reach it; the rewritten text goes downstream in this destination's event instead.
   */
  private MessageAccepted withAddedFrom(MessageAccepted message, Masquerader m, Mailer mailer) {
    String added = message.receivedHeader();
    // The node adds no address field but this From: nothing else needs parsing.
    if (added == null || !added.contains("\r\nFrom: ") || !rewritesHeaders()) {
      return message;
    }
    byte[] bytes = added.getBytes(StandardCharsets.UTF_8);
    int end = HeaderSection.length(bytes); // the empty line a headerless body gets, if there
    List<HeaderEdit> edits = HeaderAddressRewriter.rewrite(bytes, end < 0 ? bytes.length : end, m, mailer, new Trace());
    if (edits.isEmpty()) {
      return message;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 64);
    int at = 0;
    for (HeaderEdit e : edits) {
      out.write(bytes, at, (int) e.offset() - at);
      out.writeBytes(e.replacement().getBytes(StandardCharsets.UTF_8));
      at = (int) e.offset() + e.length();
    }
    out.write(bytes, at, bytes.length - at);
    return message.withReceivedHeader(out.toString(StandardCharsets.UTF_8));
  }

  /** Keeps the address the client gave (RFC 3461 ORCPT) when the router changed it. */
  private static String orcpt(EnvelopeRecipient r, Resolved.Deliver d) {
    return d.recipient().equals(r.address()) ? null : "rfc822;" + r.address();
  }

  private byte[] head(MessageAccepted message) {
    if (!rewritesHeaders()) {
      return new byte[0];
    }
    try {
      return headers.headBytes(message);
    } catch (IOException e) {
      // The header stays as it is rather than the message waiting: masquerading is cosmetic.
      log.warn("{}: headers not rewritten, body unreadable: {}", message.queueId(), e.getMessage());
      return new byte[0];
    }
  }

  private boolean rewritesHeaders() {
    Masquerader m = rules.masquerader();
    return m.settings().masquerading() || m.settings().alwaysAddDomain() || rules.hasGenerics()
        || rules.hasDomainTable();
  }

  private static List<HeaderEdit> headerEdits(byte[] head, Masquerader m, Mailer mailer) {
    if (head.length == 0) {
      return List.of();
    }
    int end = HeaderSection.length(head, head.length);
    if (end < 0) {
      return List.of();
    }
    return HeaderAddressRewriter.rewrite(head, end, m, mailer, new Trace());
  }
}
