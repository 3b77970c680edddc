package io.mailstream.ingress.session;

/**
 * What the server learned while receiving a message body, for the session to decide on.
 *
 * @param size octets received after dot-unstuffing (what is stored), counted past the limit
 * @param hops Received header fields in the header section
 * @param messageId the Message-ID header field's value, or null when there is none
 * @param badLineEnd the first bare CR, bare LF or NUL seen ({@code bare <LF>}), or null
 * @param longestLine octets of the longest line with its line end, as stored (after
 *     dot-unstuffing)
 * @param originator which of Date, From and Message-ID the header section has; a local
 *     submission's session adds those it lacks, mail over TCP is passed on as sent
 */
public record BodySummary(
    long size, int hops, String messageId, String badLineEnd, long longestLine, OriginatorFields originator) {

  /** A body with CRLF line ends only. */
  public BodySummary(long size, int hops, String messageId) {
    this(size, hops, messageId, null);
  }

  /** A body whose lines are all within RFC 5321's 1000 octets. */
  public BodySummary(long size, int hops, String messageId, String badLineEnd) {
    this(size, hops, messageId, badLineEnd, 0);
  }

  /** A body whose header section has none of Date, From and Message-ID. */
  public BodySummary(long size, int hops, String messageId, String badLineEnd, long longestLine) {
    this(size, hops, messageId, badLineEnd, longestLine, OriginatorFields.NONE);
  }
}
