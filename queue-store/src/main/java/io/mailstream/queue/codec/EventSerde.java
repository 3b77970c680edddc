package io.mailstream.queue.codec;

import io.mailstream.core.event.MailEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka (de)serializers for {@link MailEvent}s, delegating to {@link EventCodec}. */
public final class EventSerde {
  private EventSerde() {}

  public static Serializer<MailEvent> serializer() {
    return (topic, event) -> event == null ? null : EventCodec.encode(event);
  }

  /**
   * A deserializer that decodes lazily would hide poison records in the consumer loop; this one
   * throws, and consumers read raw bytes and call {@link EventCodec#decode} themselves so that
   * they can dead-letter a record that fails.
   */
  public static Deserializer<MailEvent> deserializer() {
    return (topic, bytes) -> bytes == null ? null : EventCodec.decode(bytes);
  }
}
