package io.mailstream.ingress.publish;

import io.mailstream.core.event.MessageAccepted;
import java.util.concurrent.CompletableFuture;

/**
 * The body of one message on its way to the queue. The server calls {@link #write} for each chunk
 * in order as the chunk fills, then exactly one of {@link #commit} or {@link #abort}. Calls come
 * from one thread at a time; none of them may block.
 */
public interface BodyWriter {

  /**
   * Stores the next chunk of the body. The writer owns {@code chunk} from now on.
   *
   * @param chunk at most {@code BodyChunk.MAX_SIZE} octets
   * @return completes when the chunk is durably stored, or fails
   */
  CompletableFuture<Void> write(byte[] chunk);

  /**
   * Commits the message after its last chunk: once every chunk is stored, writes the {@link
   * MessageAccepted} event, which is the commit point.
   *
   * @return completes with the event once it is durably stored; fails when any chunk or the event
   *     could not be stored
   */
  CompletableFuture<MessageAccepted> commit(Submission submission);

  /** Abandons the message; chunks already stored are never referenced and age out. */
  void abort();
}
