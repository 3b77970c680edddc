package io.mailstream.core.rules;

/** A map file that cannot be used; the message names file and line and what is wrong. */
public final class MapFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public MapFileException(String message) {
    super(message);
  }

  public MapFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
