package io.mailstream.queue.codec;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.DeliveryAttempted;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.event.RerouteRequested;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One fixed example of every event, as encoded in the golden files of each schema version. */
final class GoldenEvents {
  private GoldenEvents() {}

  static final MessageAccepted ACCEPTED =
      new MessageAccepted(
          "6LM2aBc4Xy9QpRstuv",
          1_795_000_000_000L,
          new MailAddress("alice", "dmz.example"),
          List.of(
              EnvelopeRecipient.of(new MailAddress("bob", "corp.example")),
              new EnvelopeRecipient(new MailAddress("Carol.Ünïcode", "corp.example"), "FAILURE", "rfc822;carol@corp.example")),
          new ClientInfo("web1.dmz.example", "192.0.2.10", "web1.dmz.example", "ESMTP", null),
          "<20261122.1@web1.dmz.example>",
          "Received: from web1.dmz.example (web1.dmz.example [192.0.2.10])\r\n"
              + "\tby relay.example (Mailstream) with ESMTP id 6LM2aBc4Xy9QpRstuv;\r\n"
              + "\tSun, 22 Nov 2026 02:40:00 +0000\r\n",
          new BodyRef(2, List.of(100L, 103L, 107L), 1_300_000L),
          new MessageAccepted.DsnRequest("HDRS", "env-1", "8BITMIME", false));

  static final RecipientRouted ROUTED =
      new RecipientRouted(
          ACCEPTED,
          new MailAddress("alice", "example.com"),
          new Destination("relay", "smtp.corp.example", 25, false),
          List.of(EnvelopeRecipient.of(new MailAddress("bob", "corp.example"))),
          List.of(new HeaderEdit(6, 17, "alice@example.com")),
          1_795_000_000_100L);

  /** Version 2: the same routing, stamped with the fingerprint of the rules that chose it. */
  static final RecipientRouted ROUTED_V2 =
      new RecipientRouted(
          ACCEPTED, ROUTED.envelopeSender(), ROUTED.destination(), ROUTED.recipients(), ROUTED.headerEdits(),
          ROUTED.routedAtMillis(), "3fa85f6457b2");

  static final RerouteRequested REROUTE =
      new RerouteRequested(ROUTED_V2, 1_795_000_600_000L);

  /** A small body inside its accepted record, and the routed event that points at that record. */
  static final MessageAccepted ACCEPTED_INLINE =
      new MessageAccepted(
          ACCEPTED.queueId(), ACCEPTED.acceptedAtMillis(), ACCEPTED.sender(), ACCEPTED.recipients(),
          ACCEPTED.client(), ACCEPTED.messageId(), ACCEPTED.receivedHeader(),
          BodyRef.inline("Subject: hi\r\n\r\nHello, Bob.\r\n".getBytes(StandardCharsets.UTF_8)),
          ACCEPTED.dsn());

  static final RecipientRouted ROUTED_FROM_ACCEPTED = ROUTED_V2.withMessage(ACCEPTED_INLINE.storedAt(4, 9_000_000_000L));

  static final ReplyRecord OK = new ReplyRecord(250, "2.0.0", List.of("Ok: queued as 4Xy"));
  static final ReplyRecord BUSY = new ReplyRecord(421, null, List.of("smtp.corp.example busy"));
  static final ReplyRecord UNKNOWN = new ReplyRecord(550, "5.1.1", List.of("User unknown"));

  static final DeliveryAttempted ATTEMPTED =
      new DeliveryAttempted(
          ACCEPTED.queueId(), new MailAddress("bob", "corp.example"), ROUTED.destination(),
          "smtp.corp.example. [192.0.2.25]", OK, 1, 1_795_000_000_200L);
  static final Delivered DELIVERED =
      new Delivered(
          ACCEPTED.queueId(), new MailAddress("bob", "corp.example"),
          "smtp.corp.example. [192.0.2.25]", OK, ACCEPTED.acceptedAtMillis(), 1_795_000_000_300L);
  static final Deferred DEFERRED =
      new Deferred(
          ACCEPTED.queueId(), new MailAddress("bob", "corp.example"),
          "smtp.corp.example. [192.0.2.25]", BUSY, 2, 1_795_000_300_000L);
  static final Bounced BOUNCED =
      new Bounced(
          ACCEPTED.queueId(), new MailAddress("Carol.Ünïcode", "corp.example"), MailAddress.NULL_SENDER,
          "smtp.corp.example. [192.0.2.25]", UNKNOWN, 1_795_000_000_400L);

  /** The events of version 2's golden files: what version 2 changed or added. */
  static Map<String, MailEvent> version2() {
    Map<String, MailEvent> m = new LinkedHashMap<>();
    m.put("recipient-routed", ROUTED_V2);
    m.put("reroute-requested", REROUTE);
    m.put("message-accepted", ACCEPTED);
    m.put("message-accepted-inline", ACCEPTED_INLINE);
    m.put("recipient-routed-from-accepted", ROUTED_FROM_ACCEPTED);
    return m;
  }

  /** File name (without extension) to event of version 1's golden files, in a fixed order. */
  static Map<String, MailEvent> all() {
    Map<String, MailEvent> m = new LinkedHashMap<>();
    m.put("message-accepted", ACCEPTED);
    m.put("recipient-routed", ROUTED);
    m.put("delivery-attempted", ATTEMPTED);
    m.put("delivered", DELIVERED);
    m.put("deferred", DEFERRED);
    m.put("bounced", BOUNCED);
    return m;
  }
}
