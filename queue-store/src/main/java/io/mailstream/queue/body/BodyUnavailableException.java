package io.mailstream.queue.body;

import java.io.IOException;

/** A stored body that cannot be read back: delivery defers the message and says why. */
public final class BodyUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public BodyUnavailableException(String message) {
    super(message);
  }
}
