package io.mailstream.ingress.publish;

/**
 * Where the ingress hands accepted mail: the queue. One publisher serves every session; it must be
 * thread-safe, and {@link #begin} must not block the calling (event loop) thread.
 */
public interface MessagePublisher extends AutoCloseable {

  /** Starts the body of the message {@code queueId}. */
  BodyWriter begin(String queueId);

  /**
   * Whether the queue can take mail right now. When it cannot, new sessions are refused with
   * {@code 421} rather than accepted into a transaction that can only end in {@code 451}.
   */
  default boolean available() {
    return true;
  }

  /** Releases the publisher's resources; messages not yet committed fail. */
  @Override
  default void close() {}
}
