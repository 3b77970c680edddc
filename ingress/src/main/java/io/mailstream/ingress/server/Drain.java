package io.mailstream.ingress.server;

/**
 * Whether the server is stopping: from then on a new connection is answered {@code 421 4.3.2}
 * and closed, a session without a transaction in progress is ended with that reply, and a
 * transaction under way is finished first (RFC 5321 3.8: a server that must shut down sends 421
 * before it closes, instead of dropping the client).
 */
final class Drain {
  private volatile boolean active;

  void start() {
    active = true;
  }

  boolean active() {
    return active;
  }
}
