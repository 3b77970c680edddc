package io.mailstream.ingress.session;

import io.mailstream.core.config.SmtpSettings;

/**
 * The optional ESMTP extensions a session offers (the {@code smtp.dsn}, {@code smtp.smtputf8} and
 * {@code smtp.chunking} settings). A parameter or command of an extension that is not offered is
 * refused as if unknown: 555 for a MAIL or RCPT parameter (RFC 5321 4.1.1.11), 502 for BDAT.
 *
 * @param dsn RFC 3461: RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT
 * @param smtputf8 RFC 6531: the SMTPUTF8 parameter on MAIL and UTF-8 in addresses
 * @param chunking RFC 3030: the BDAT command
 * @param auth RFC 4954 5: the AUTH parameter on MAIL, wherever AUTH is configured
 */
public record Extensions(boolean dsn, boolean smtputf8, boolean chunking, boolean auth) {
  public Extensions(boolean dsn, boolean smtputf8, boolean chunking) {
    this(dsn, smtputf8, chunking, false);
  }

  /** The same, with the AUTH parameter accepted or not. */
  public Extensions withAuth(boolean offered) {
    return new Extensions(dsn, smtputf8, chunking, offered);
  }

  /** Every extension offered: the defaults. */
  public static final Extensions ALL = new Extensions(true, true, true);

  /** None of the optional extensions offered. */
  public static final Extensions NONE = new Extensions(false, false, false);

  public static Extensions of(SmtpSettings smtp) {
    return new Extensions(smtp.dsn(), smtp.smtputf8(), smtp.chunking());
  }
}
