package io.mailstream.queue.codec;

/** A record that cannot be decoded: unknown schema version, unknown type or truncated bytes. */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }
}
