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
   * Received header. (LineFramer never passes on a line with an LF; one given here is refused
   * the same way.)
   */
  public static Command parse(String line) {
    if (line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0 || line.indexOf('\n') >= 0) {
      return invalid();
    }
    int space = line.indexOf(' ');
    String word = space < 0 ? line : line.substring(0, space);
    String argument = space < 0 ? "" : line.substring(space + 1).strip();
    if (word.isEmpty()) {
      return new Command(Verb.INVALID, "", argument);
    }
    return new Command(Verb.of(word), word, argument);
  }

  /** A line that is not a command at all, such as one that is not valid UTF-8. */
  public static Command invalid() {
    return new Command(Verb.INVALID, "", "");
  }

  public boolean hasArgument() {
    return !argument.isEmpty();
  }
}
