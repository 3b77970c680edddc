package io.mailstream.queue.codec;

import java.util.function.Supplier;

/** A record that cannot be decoded: unknown schema version, unknown type or truncated bytes. */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  /**
   * Runs a decoder whose fields go through the event records' constructors, and reports a value
   * they refuse (a null queue id, an empty domain, a negative range) as a damaged record. Consumers
   * dead-letter or skip on this exception alone, so any other one from bytes read off a topic would
   * stop the worker on a single poison record (a fuzzer finding: a queue command with a null queue
   * id threw NullPointerException).
   */
  static <T> T ifDamaged(Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new CodecException("record damaged: " + what);
    }
  }
}
