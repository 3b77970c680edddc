package io.mailstream.delivery.testkit;

/** The steps of an SMTP session the {@link FakeSmartHost} can be scripted at. */
public enum Verb {
  /** The banner sent when a client connects. */
  GREETING,
  EHLO,
  HELO,
  MAIL,
  RCPT,
  /** The DATA command itself (the 354 reply). */
  DATA,
  /** The reply after the terminating dot. */
  DATA_END,
  RSET,
  NOOP,
  QUIT,
  /** The STARTTLS command (the 220 reply), when {@link FakeSmartHost#offerStartTls} is on. */
  STARTTLS,
  /** The final reply to AUTH, when {@link FakeSmartHost#requireAuth} is on. */
  AUTH
}
