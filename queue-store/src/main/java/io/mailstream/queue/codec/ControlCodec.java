package io.mailstream.queue.codec;

import io.mailstream.core.event.QueueCommand;

/**
 * The control topic's record (docs/events.md, "Queue control"): an administrator's {@link
 * QueueCommand}. Its own format version, like {@link ConfigBundle}'s, so that a change to it never
 * touches the mail events; type 48 sets it apart from both.
 *
 * <pre>
 * byte 0   format version (1)
 * byte 1   type 48 (queue command)
 * byte 2   verb: 1 hold, 2 release, 3 delete, 4 flush, 5 requeue
 * list     queue ids (string)
 * string   issued by
 * varint   issued at (milliseconds)
 * </pre>
 */
public final class ControlCodec {
  static final int FORMAT_VERSION = 1;
  static final int TYPE = 48;

  private ControlCodec() {}

  public static byte[] encode(QueueCommand c) {
    BinaryWriter w = new BinaryWriter().writeByte(FORMAT_VERSION).writeByte(TYPE).writeByte(c.verb().ordinal() + 1);
    w.list(c.queueIds(), BinaryWriter::string);
    w.string(c.issuedBy()).varint(c.issuedAtMillis());
    return w.toByteArray();
  }

  /**
   * @throws CodecException for another format version, another type, an unknown verb or a damaged
   *     record; a node that cannot read an order says so rather than obeying part of it
   */
  public static QueueCommand decode(byte[] bytes) {
    if (bytes == null || bytes.length < 3) {
      throw new CodecException("queue command too short");
    }
    int version = bytes[0] & 0xFF;
    if (version != FORMAT_VERSION) {
      throw new CodecException("unknown queue command format version " + version + " (this Mailstream reads version "
          + FORMAT_VERSION + "); upgrade this node before giving orders from a newer one");
    }
    if ((bytes[1] & 0xFF) != TYPE) {
      throw new CodecException("not a queue command: type " + (bytes[1] & 0xFF));
    }
    int verb = bytes[2] & 0xFF;
    QueueCommand.Verb[] verbs = QueueCommand.Verb.values();
    if (verb < 1 || verb > verbs.length) {
      throw new CodecException("unknown queue command verb " + verb);
    }
    BinaryReader r = new BinaryReader(bytes, 3);
    QueueCommand.Verb v = verbs[verb - 1];
    QueueCommand c = CodecException.ifDamaged(() -> new QueueCommand(v, r.list(BinaryReader::string), r.string(), r.varint()));
    r.expectEnd();
    return c;
  }
}
