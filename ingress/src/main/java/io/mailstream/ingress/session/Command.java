package io.mailstream.ingress.session;

/**
 * One command line as the client sent it, split into verb and argument (RFC 5321 4.1.1).
 *
 * @param verb what the session should do
 * @param word the command word as sent, for logs
 * @param argument the text after the first space, without trailing white space; empty if none
 */
public record Command(Verb verb, String word, String argument) {

  /**
   * Reads one command line, without its line ending. A line holding a bare CR or a NUL is {@link
   * Verb#INVALID}: RFC 5321 2.3.8 forbids them, and letting a CR through would carry it into the
   * Received header.
   */
  public static Command parse(String line) {
    if (line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
      return new Command(Verb.INVALID, "", "");
    }
    int space = line.indexOf(' ');
    String word = space < 0 ? line : line.substring(0, space);
    String argument = space < 0 ? "" : line.substring(space + 1).strip();
    if (word.isEmpty()) {
      return new Command(Verb.INVALID, "", argument);
    }
    return new Command(Verb.of(word), word, argument);
  }

  public boolean hasArgument() {
    return !argument.isEmpty();
  }
}
