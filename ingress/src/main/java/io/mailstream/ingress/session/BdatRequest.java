package io.mailstream.ingress.session;

/**
 * A checked {@code BDAT <size> [LAST]} (RFC 3030 2: {@code bdat-cmd = "BDAT" SP chunk-size [ SP
 * end-marker ] CR LF}, chunk-size 1*DIGIT, end-marker "LAST").
 *
 * @param size the octets of the chunk that follows the command line; -1 when the argument has no
 *     readable size, so that the chunk cannot be found in the input
 * @param last whether this is the last chunk of the message
 * @param wellFormed whether the whole argument is well formed; a readable size with other
 *     trouble still lets the chunk be read and thrown away
 */
public record BdatRequest(long size, boolean last, boolean wellFormed) {
  // 18 digits always fit a long; a chunk that large is over every size limit anyway, but its end
  // could never be reached, so it counts as unreadable.
  private static final int MAX_DIGITS = 18;

  /** Reads the argument of BDAT. */
  public static BdatRequest parse(String argument) {
    String[] words = argument.split(" ", -1);
    String digits = words[0];
    if (digits.isEmpty() || digits.length() > MAX_DIGITS
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new BdatRequest(-1, false, false);
    }
    long size = Long.parseLong(digits);
    if (words.length == 1) {
      return new BdatRequest(size, false, true);
    }
    boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
    return new BdatRequest(size, last, last);
  }

  /** Whether the chunk can be found in the input at all. */
  public boolean framed() {
    return size >= 0;
  }
}
