package io.mailstream.ops.importer;

/**
 * One line of the import report: a sendmail.mc setting that was not translated, or one that needs
 * a word, as {@code sendmail.mc:12: define(confLOG_LEVEL): not translated: reason}.
 *
 * @param line the sendmail.mc line, or 0 when the setting has none (a sendmail default)
 * @param macro the setting as the YAML comments name it: {@code define(SMART_HOST)}, {@code
 *     FEATURE(access_db)}, {@code DAEMON_OPTIONS}
 * @param status one of the constants below
 * @param reason why, in a few words
 */
public record ReportLine(int line, String macro, String status, String reason) {
  public static final String NOT_TRANSLATED = "not translated";
  public static final String NOT_YET = "not yet translated";
  public static final String ALREADY = "already Mailstream's behaviour";
  public static final String NOTE = "note";
  /** sendmail.mc leaves it to sendmail's default, and Mailstream's default is another. */
  public static final String DEFAULT_DIFFERS = "default differs";

  @Override
  public String toString() {
    return "sendmail.mc:" + (line > 0 ? line + ":" : "") + " " + macro + ": " + status + ": " + reason;
  }
}
