package io.mailstream.core.rules;

/**
 * One entry of a sendmail map file, with where it came from so that every decision can say which
 * line made it ({@code mailertable:12}).
 *
 * @param key the key as written (lookups fold case; the original is kept for messages)
 * @param value the right-hand side, continuation lines joined with a single space
 * @param file the file name as configured
 * @param line the 1-based line the entry starts on
 */
public record MapEntry(String key, String value, String file, int line) {

  /** {@code mailertable:12}, the way traces and errors name an entry. */
  public String where() {
    String name = file.contains("/") ? file.substring(file.lastIndexOf('/') + 1) : file;
    return name + ":" + line;
  }
}
