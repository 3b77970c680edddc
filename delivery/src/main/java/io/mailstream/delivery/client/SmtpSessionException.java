package io.mailstream.delivery.client;

import io.mailstream.core.event.ReplyRecord;
import java.io.IOException;

/**
 * The SMTP session ended before the transaction did: the connection was refused, timed out or
 * dropped, the server sent {@code 421}, or it refused the greeting or EHLO and HELO. Carries the
 * reply to record for every recipient left unfinished; its class decides their outcome (a made-up
 * reply for a network failure is always 4xx). The connection is closed and never reused.
 */
public final class SmtpSessionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String relay;
  private final transient ReplyRecord reply;

  public SmtpSessionException(String relay, ReplyRecord reply, Throwable cause) {
    super(relay + ": " + reply, cause);
    this.relay = relay;
    this.reply = reply;
  }

  /** The relay as sendmail logs it; see {@link io.mailstream.delivery.TransactionResult#relay}. */
  public String relay() {
    return relay;
  }

  /** The reply that stands for this failure: the server's, or one Mailstream made up. */
  public ReplyRecord reply() {
    return reply;
  }
}
