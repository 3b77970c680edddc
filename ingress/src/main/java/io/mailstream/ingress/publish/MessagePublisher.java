package io.mailstream.ingress.publish;

/**
 * Where the ingress hands accepted mail: the queue. One publisher serves every session; it must be
 * thread-safe, and {@link #begin} must not block the calling (event loop) thread.
 */
public interface MessagePublisher extends AutoCloseable {

  /** Starts the body of the message {@code queueId}. */
  BodyWriter begin(String queueId);

  /** Releases the publisher's resources; messages not yet committed fail. */
  @Override
  default void close() {}
}
