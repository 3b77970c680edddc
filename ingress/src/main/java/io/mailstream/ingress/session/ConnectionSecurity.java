package io.mailstream.ingress.session;

/**
 * What one listener offers for TLS and AUTH, fixed when a client connects.
 *
 * @param startTls whether STARTTLS is offered (a certificate is configured and TLS is not on yet)
 * @param implicitTls whether the connection began with TLS (RFC 8314 port 465)
 * @param auth whether AUTH is offered at all (a users file is configured)
 * @param plaintextAuth whether AUTH is offered before TLS
 * @param authRequired whether MAIL needs AUTH first (a submission listener, sendmail's M=a)
 */
public record ConnectionSecurity(
    boolean startTls, boolean implicitTls, boolean auth, boolean plaintextAuth, boolean authRequired) {
  /** No TLS, no AUTH: a plain MTA listener. */
  public static final ConnectionSecurity NONE = new ConnectionSecurity(false, false, false, false, false);
}
