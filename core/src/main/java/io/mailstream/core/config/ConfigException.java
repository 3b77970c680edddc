package io.mailstream.core.config;

/**
 * A configuration that cannot be used. The message is one line naming the file, the line when
 * known and the key, so that an administrator can fix it without reading a stack trace.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
