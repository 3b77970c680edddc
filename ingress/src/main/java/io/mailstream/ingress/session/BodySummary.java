package io.mailstream.ingress.session;

/**
 * What the server learned while receiving a message body, for the session to decide on.
 *
 * @param size octets received after dot-unstuffing (what is stored), counted past the limit
 * @param hops Received header fields in the header section
 * @param messageId the Message-ID header field's value, or null when there is none
 * @param badLineEnd the first bare CR, bare LF or NUL seen ({@code bare <LF>}), or null
 */
public record BodySummary(long size, int hops, String messageId, String badLineEnd) {

  /** A body with CRLF line ends only. */
  public BodySummary(long size, int hops, String messageId) {
    this(size, hops, messageId, null);
  }
}
