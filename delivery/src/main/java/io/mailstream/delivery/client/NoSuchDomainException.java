package io.mailstream.delivery.client;

import java.net.UnknownHostException;

/**
 * The name server said, with authority, that mail for the domain cannot be delivered: the domain
 * does not exist (NXDOMAIN) or publishes a null MX (RFC 7505). Unlike other look-up failures, which
 * may be a time-out and so only defer, this one bounces.
 */
public final class NoSuchDomainException extends UnknownHostException {
  private static final long serialVersionUID = 1L;

  public NoSuchDomainException(String message) {
    super(message);
  }
}
