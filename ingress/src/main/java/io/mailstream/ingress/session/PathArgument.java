package io.mailstream.ingress.session;

/** Splits {@code FROM:<path>} and {@code TO:<path>} arguments. */
final class PathArgument {
  private PathArgument() {}

  /**
   * The text after {@code prefix} (compared without case), or null when the argument does not
   * start with it. RFC 5321 4.1.2 allows no space after the colon, but many clients send one and
   * accepting it cannot change where mail goes, so it is skipped.
   */
  static String after(String prefix, String argument) {
    if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return null;
    }
    return argument.substring(prefix.length()).stripLeading();
  }
}
