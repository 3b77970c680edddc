package io.mailstream.ops.queue;

import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.codec.BinaryReader;
import io.mailstream.queue.codec.BinaryWriter;
import io.mailstream.queue.codec.CodecException;
import io.mailstream.queue.codec.EventCodec;
import java.util.List;

/**
 * A message of the queue view as {@link FinishedMessages} keeps it on disk: everything {@code show},
 * {@code mailq --all} and a replay read, in Mailstream's record primitives. The accepted event is
 * kept in its own topic encoding (a body reference, never the body).
 */
final class QueuedMessageCodec {
  private static final int VERSION = 1;

  private QueuedMessageCodec() {}

  static byte[] encode(QueuedMessage m) {
    BinaryWriter w = new BinaryWriter().writeByte(VERSION).string(m.queueId);
    w.bool(m.accepted != null);
    if (m.accepted != null) {
      w.bytes(EventCodec.encode(m.accepted));
    }
    w.bool(m.held).bool(m.deleted).string(m.replayOf).list(m.replays, BinaryWriter::string);
    w.list(List.copyOf(m.recipients.values()), QueuedMessageCodec::recipient);
    w.list(m.history, (out, h) -> out.varint(Math.max(0, h.atMillis())).string(h.event()).string(h.recipient()).string(h.text()));
    return w.toByteArray();
  }

  static QueuedMessage decode(byte[] bytes) {
    BinaryReader r = new BinaryReader(bytes, 0);
    int version = r.readByte();
    if (version != VERSION) {
      throw new CodecException("unknown queue view record version " + version);
    }
    QueuedMessage m = new QueuedMessage(r.string());
    if (r.bool()) {
      m.accepted = (MessageAccepted) EventCodec.decode(r.bytes());
      m.body = m.accepted.body();
    }
    m.held = r.bool();
    m.deleted = r.bool();
    m.replayOf = r.string();
    m.replays.addAll(r.list(BinaryReader::string));
    for (QueuedMessage.Recipient rcpt : r.list(QueuedMessageCodec::recipient)) {
      m.recipients.put(rcpt.address, rcpt);
    }
    for (Views.History h : r.list(in -> QueuedMessage.history(in.varint(), in.string(), in.string(), in.string()))) {
      m.history.add(h);
    }
    r.expectEnd();
    return m;
  }

  private static void recipient(BinaryWriter w, QueuedMessage.Recipient r) {
    w.string(r.address).writeByte(r.state.ordinal()).varint(Math.max(0, r.stateAt)).bool(r.seenByDelivery).string(r.destination)
        .varint(r.attempts).varint(Math.max(0, r.nextAttemptAt)).string(r.relay);
    w.bool(r.lastReply != null);
    if (r.lastReply != null) {
      w.varint(r.lastReply.code()).string(r.lastReply.status()).list(r.lastReply.lines(), BinaryWriter::string);
    }
  }

  private static QueuedMessage.Recipient recipient(BinaryReader r) {
    QueuedMessage.Recipient rcpt = new QueuedMessage.Recipient(r.string());
    int state = r.readByte();
    if (state >= RecipientState.values().length) {
      throw new CodecException("unknown recipient state " + state);
    }
    rcpt.state = RecipientState.values()[state];
    rcpt.stateAt = r.varint();
    rcpt.seenByDelivery = r.bool();
    rcpt.destination = r.string();
    rcpt.attempts = r.varintInt();
    rcpt.nextAttemptAt = r.varint();
    rcpt.relay = r.string();
    if (r.bool()) {
      rcpt.lastReply = new ReplyRecord(r.varintInt(), r.string(), r.list(BinaryReader::string));
    }
    return rcpt;
  }
}
