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
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.event.RerouteRequested;

/**
 * Mailstream's event encoding, schema version 2 (docs/events.md); version 1 records are still read.
 *
 * <p>A compact binary form: one version byte, one type byte, then the fields in declaration order
 * as varints and length-prefixed UTF-8 strings. Chosen over JSON for size and speed on the hot
 * path, and over protobuf to avoid a code generator in the build for six small records; the price
 * is that a new field means a new version, which readers must keep decoding for as long as old
 * records can sit in a topic (the golden files in the tests hold this promise).
 *
 * <p>Version 2: a body reference says where the body is (chunks, inline octets, or the accepted
 * record that holds them) before its fields, where version 1 knew chunks only; routed events carry
 * the fingerprint of the rules that routed them; RerouteRequested is new.
 */
public final class EventCodec {
  /**
   * The version this code writes; readers accept every version from 1 to this one. Version 2 adds
   * the routing fingerprint to RecipientRouted (and so to retry entries), the RerouteRequested type,
   * and the store of a body reference.
   */
  public static final int VERSION = 2;

  static final int MESSAGE_ACCEPTED = 1;
  static final int RECIPIENT_ROUTED = 2;
  static final int DELIVERY_ATTEMPTED = 3;
  static final int DELIVERED = 4;
  static final int DEFERRED = 5;
  static final int BOUNCED = 6;
  static final int REROUTE_REQUESTED = 7;

  private EventCodec() {}

  public static byte[] encode(MailEvent event) {
    BinaryWriter w = new BinaryWriter(expectedSize(event)).writeByte(VERSION);
    // Java 17 has no pattern switch; the chain is exhaustive over the sealed MailEvent.
    if (event instanceof MessageAccepted m) {
      messageAccepted(w.writeByte(MESSAGE_ACCEPTED), m);
    } else if (event instanceof RecipientRouted r) {
      recipientRouted(w.writeByte(RECIPIENT_ROUTED), r);
    } else if (event instanceof RerouteRequested q) {
      recipientRouted(w.writeByte(REROUTE_REQUESTED), q.routed());
      w.varint(q.requestedAtMillis());
    } else if (event instanceof DeliveryAttempted a) {
      deliveryAttempted(w.writeByte(DELIVERY_ATTEMPTED), a);
    } else if (event instanceof Delivered d) {
      delivered(w.writeByte(DELIVERED), d);
    } else if (event instanceof Deferred d) {
      deferred(w.writeByte(DEFERRED), d);
    } else if (event instanceof Bounced b) {
      bounced(w.writeByte(BOUNCED), b);
    } else {
      throw new IllegalArgumentException("not an event this version can write: " + event);
    }
    return w.toByteArray();
  }

  /**
   * Decodes one record.
   *
   * @throws CodecException for an unknown version or type, or a damaged record
   */
  public static MailEvent decode(byte[] bytes) {
    if (bytes == null || bytes.length < 2) {
      throw new CodecException("record too short to hold a version and a type");
    }
    int version = bytes[0] & 0xFF;
    if (version < 1 || version > VERSION) {
      throw new CodecException(
          "unknown event schema version " + version + " (this Mailstream reads versions 1 to " + VERSION + ");"
              + " upgrade this node before reading records written by a newer one");
    }
    BinaryReader r = new BinaryReader(bytes, 2);
    int type = bytes[1] & 0xFF;
    if (type == REROUTE_REQUESTED && version < 2) {
      throw new CodecException("unknown event type " + type + " in schema version " + version);
    }
    MailEvent event = CodecException.ifDamaged(() -> event(r, type, version));
    r.expectEnd();
    return event;
  }

  private static MailEvent event(BinaryReader r, int type, int version) {
    return switch (type) {
      case MESSAGE_ACCEPTED -> messageAccepted(r, version);
      case RECIPIENT_ROUTED -> recipientRouted(r, version);
      case REROUTE_REQUESTED -> new RerouteRequested(recipientRouted(r, version), r.varint());
      case DELIVERY_ATTEMPTED -> deliveryAttempted(r);
      case DELIVERED -> delivered(r);
      case DEFERRED -> deferred(r);
      case BOUNCED -> bounced(r);
      default -> throw new CodecException("unknown event type " + type + " in schema version " + version);
    };
  }

  static final int RETRY_ENTRY = 17;

  /** Encodes a retry-state entry (type 17) for RocksDB and its changelog topic. */
  public static byte[] encodeRetry(io.mailstream.queue.state.RetryEntry e) {
    BinaryWriter w = new BinaryWriter().writeByte(VERSION).writeByte(RETRY_ENTRY);
    recipientRouted(w, e.routed());
    w.varint(e.attempts()).varint(e.firstAttemptAtMillis()).varint(e.nextAttemptAtMillis());
    reply(w, e.lastReply());
    w.string(e.lastRelay());
    return w.toByteArray();
  }

  /** @throws CodecException when the bytes are not a retry entry of a version this code reads */
  public static io.mailstream.queue.state.RetryEntry decodeRetry(byte[] bytes) {
    int version = bytes == null || bytes.length < 2 ? 0 : bytes[0] & 0xFF;
    if (version < 1 || version > VERSION || (bytes[1] & 0xFF) != RETRY_ENTRY) {
      throw new CodecException("not a retry entry of versions 1 to " + VERSION);
    }
    BinaryReader r = new BinaryReader(bytes, 2);
    var entry =
        CodecException.ifDamaged(
            () -> new io.mailstream.queue.state.RetryEntry(
                recipientRouted(r, version), r.varintInt(), r.varint(), r.varint(), reply(r), r.string()));
    r.expectEnd();
    return entry;
  }

  private static void messageAccepted(BinaryWriter w, MessageAccepted m) {
    w.string(m.queueId()).varint(m.acceptedAtMillis());
    address(w, m.sender());
    w.list(m.recipients(), EventCodec::recipient);
    ClientInfo c = m.client();
    w.string(c.helo()).string(c.address()).string(c.hostname()).string(c.protocol()).string(c.authUser());
    w.string(m.messageId()).string(m.receivedHeader());
    body(w, m.body());
    DsnRequest d = m.dsn();
    w.string(d.ret()).string(d.envid()).string(d.bodyType()).bool(d.smtputf8());
  }

  private static MessageAccepted messageAccepted(BinaryReader r, int version) {
    String queueId = r.string();
    long at = r.varint();
    MailAddress sender = address(r);
    var recipients = r.list(EventCodec::recipient);
    ClientInfo client = new ClientInfo(r.string(), r.string(), r.string(), r.string(), r.string());
    String messageId = r.string();
    String received = r.string();
    BodyRef body = version == 1 ? chunks(r) : body(r);
    DsnRequest dsn = new DsnRequest(r.string(), r.string(), r.string(), r.bool());
    return new MessageAccepted(queueId, at, sender, recipients, client, messageId, received, body, dsn);
  }

  private static void recipientRouted(BinaryWriter w, RecipientRouted e) {
    messageAccepted(w, e.message());
    address(w, e.envelopeSender());
    destination(w, e.destination());
    w.list(e.recipients(), EventCodec::recipient);
    w.list(e.headerEdits(), (o, h) -> o.varint(h.offset()).varint(h.length()).string(h.replacement()));
    w.varint(e.routedAtMillis());
    w.string(e.routingFingerprint());
  }

  /** Version 1 has no routing fingerprint: such recipients count as routed under unknown rules. */
  private static RecipientRouted recipientRouted(BinaryReader r, int version) {
    MessageAccepted message = messageAccepted(r, version);
    MailAddress sender = address(r);
    Destination destination = destination(r);
    var recipients = r.list(EventCodec::recipient);
    var edits = r.list(i -> new HeaderEdit(i.varint(), i.varintInt(), i.string()));
    long routedAt = r.varint();
    String fingerprint = version >= 2 ? r.string() : null;
    return new RecipientRouted(message, sender, destination, recipients, edits, routedAt, fingerprint);
  }

  /** Room for the fields and, for a message whose body is inline, the body. */
  private static int expectedSize(MailEvent event) {
    if (event instanceof MessageAccepted m && m.body().store() == BodyRef.Store.INLINE) {
      return 1024 + m.body().inline().length;
    }
    return 256;
  }

  private static void body(BinaryWriter w, BodyRef b) {
    w.writeByte(b.store().ordinal());
    if (b.store() == BodyRef.Store.INLINE) {
      w.bytes(b.inline());
    } else {
      w.varint(b.partition()).list(b.chunkOffsets(), BinaryWriter::varint).varint(b.size());
    }
  }

  private static BodyRef body(BinaryReader r) {
    int store = r.readByte();
    if (store == BodyRef.Store.INLINE.ordinal()) {
      return BodyRef.inline(r.bytes());
    }
    if (store == BodyRef.Store.CHUNKS.ordinal()) {
      return chunks(r);
    }
    if (store == BodyRef.Store.ACCEPTED.ordinal()) {
      return new BodyRef(BodyRef.Store.ACCEPTED, r.varintInt(), r.list(BinaryReader::varint), r.varint(), null);
    }
    throw new CodecException("unknown body store " + store);
  }

  private static BodyRef chunks(BinaryReader r) {
    return new BodyRef(r.varintInt(), r.list(BinaryReader::varint), r.varint());
  }

  private static void deliveryAttempted(BinaryWriter w, DeliveryAttempted a) {
    w.string(a.queueId());
    address(w, a.recipient());
    destination(w, a.destination());
    w.string(a.relay());
    reply(w, a.reply());
    w.varint(a.attempt()).varint(a.attemptedAtMillis());
  }

  private static DeliveryAttempted deliveryAttempted(BinaryReader r) {
    return new DeliveryAttempted(
        r.string(), address(r), destination(r), r.string(), reply(r), r.varintInt(), r.varint());
  }

  private static void delivered(BinaryWriter w, Delivered d) {
    w.string(d.queueId());
    address(w, d.recipient());
    w.string(d.relay());
    reply(w, d.reply());
    w.varint(d.acceptedAtMillis()).varint(d.deliveredAtMillis());
  }

  private static Delivered delivered(BinaryReader r) {
    return new Delivered(r.string(), address(r), r.string(), reply(r), r.varint(), r.varint());
  }

  private static void deferred(BinaryWriter w, Deferred d) {
    w.string(d.queueId());
    address(w, d.recipient());
    w.string(d.relay());
    reply(w, d.reply());
    w.varint(d.attempts()).varint(d.nextAttemptAtMillis());
  }

  private static Deferred deferred(BinaryReader r) {
    return new Deferred(r.string(), address(r), r.string(), reply(r), r.varintInt(), r.varint());
  }

  private static void bounced(BinaryWriter w, Bounced b) {
    w.string(b.queueId());
    address(w, b.recipient());
    address(w, b.sender());
    w.string(b.relay());
    reply(w, b.reply());
    w.varint(b.bouncedAtMillis());
  }

  private static Bounced bounced(BinaryReader r) {
    return new Bounced(r.string(), address(r), address(r), r.string(), reply(r), r.varint());
  }

  private static void address(BinaryWriter w, MailAddress a) {
    w.string(a.localPart()).string(a.domain());
  }

  private static MailAddress address(BinaryReader r) {
    String local = r.string();
    String domain = r.string();
    if (local == null) {
      throw new CodecException("address without a local part");
    }
    return local.isEmpty() && domain == null ? MailAddress.NULL_SENDER : new MailAddress(local, domain);
  }

  private static void recipient(BinaryWriter w, EnvelopeRecipient e) {
    address(w, e.address());
    w.string(e.notifyOn()).string(e.orcpt());
  }

  private static EnvelopeRecipient recipient(BinaryReader r) {
    return new EnvelopeRecipient(address(r), r.string(), r.string());
  }

  private static void destination(BinaryWriter w, Destination d) {
    w.string(d.mailer()).string(d.host()).varint(d.port()).bool(d.mxLookup());
  }

  private static Destination destination(BinaryReader r) {
    return new Destination(r.string(), r.string(), r.varintInt(), r.bool());
  }

  private static void reply(BinaryWriter w, ReplyRecord reply) {
    w.varint(reply.code()).string(reply.status()).list(reply.lines(), BinaryWriter::string);
  }

  private static ReplyRecord reply(BinaryReader r) {
    return new ReplyRecord(r.varintInt(), r.string(), r.list(BinaryReader::string));
  }
}
