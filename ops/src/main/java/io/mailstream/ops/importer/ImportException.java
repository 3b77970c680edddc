package io.mailstream.ops.importer;

/**
 * Why a sendmail.mc could not be imported, as one line naming the file and, where there is one,
 * the line: {@code /etc/mail/sendmail.mc:12: unterminated quote}.
 */
public final class ImportException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImportException(String message) {
    super(message);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
