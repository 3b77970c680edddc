package io.mailstream.ingress.session;

/**
 * Which of the fields sendmail adds to local mail when missing (Date, From, Message-ID) a message's
 * header section has, as {@link HeaderScanner} found them: names in any case, white space before
 * the colon allowed, folded lines never taken for a field, nothing below the first empty line.
 *
 * @param hasDate whether the header section has a Date field
 * @param hasFrom whether the header section has a From field
 * @param hasMessageId whether the header section has a Message-ID field (even an empty one: it is
 *     not added twice)
 * @param headerless whether the body starts with text rather than a header field or the empty
 *     line, so that it has no header section and none of the three
 */
public record OriginatorFields(boolean hasDate, boolean hasFrom, boolean hasMessageId, boolean headerless) {
  /** A header section with none of the three. */
  public static final OriginatorFields NONE = new OriginatorFields(false, false, false, false);
}
