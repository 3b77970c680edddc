package io.mailstream.core.event;

/**
 * A replacement of a byte range in the stored message, made by the router (masquerading, generics)
 * so that a rewritten address does not copy the body: delivery splices the edit in while streaming.
 *
 * @param offset the first octet replaced, counted from the start of the stored body
 * @param length how many octets are replaced
 * @param replacement the new text, written as UTF-8
 */
public record HeaderEdit(long offset, int length, String replacement) {
  public HeaderEdit {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative header edit range");
    }
  }
}
