package io.mailstream.loadtest;

/**
 * A reply as the generator received it from the server under test: the code and the text of the
 * last line. Core's {@code Reply} is for replies we send and insists on consistent enhanced codes;
 * a load generator must record whatever the peer says.
 */
record ServerReply(int code, String lastLine) {

  boolean isPositive() {
    return code >= 200 && code < 400;
  }

  @Override
  public String toString() {
    return lastLine;
  }
}
