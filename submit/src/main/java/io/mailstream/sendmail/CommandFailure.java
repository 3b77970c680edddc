package io.mailstream.sendmail;

/** A failure that ends the command with a sysexits status and one line on standard error. */
final class CommandFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  CommandFailure(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The exit status, from {@link Sysexits}. */
  int status() {
    return status;
  }
}
