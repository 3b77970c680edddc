package io.mailstream.core.address;

/** Thrown when text is not a valid mailbox or SMTP path; the message says what is wrong. */
public final class AddressException extends Exception {
  private static final long serialVersionUID = 1L;

  public AddressException(String message) {
    super(message);
  }
}
