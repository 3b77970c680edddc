package io.mailstream.ingress.server;

import java.time.Duration;

/** One client connection a transcript is played over. */
interface Wire extends AutoCloseable {
  void send(byte[] bytes) throws Exception;

  /** The next reply line without CRLF; null once the server closed; fails after {@code timeout}. */
  String readLine(Duration timeout) throws Exception;

  @Override
  void close() throws Exception;
}
