package io.mailstream.ingress.session;

import io.mailstream.core.config.PrivacyFlag;
import io.mailstream.core.config.SmtpSettings;
import java.util.Locale;

/**
 * privacy authwarnings: the {@code X-Authentication-Warning:} field sendmail adds when the client's
 * HELO name is not the name it really has (srvrsmtp.c, PICKY_HELO_CHECK): {@code
 * X-Authentication-Warning: mx.example: Host host.example [192.0.2.1] claimed to be other.example}.
 * It travels with the trace field, below it.
 *
 * <p>sendmail compares the HELO name with the client's name from reverse DNS. The ingress looks
 * names up too ({@link io.mailstream.ingress.server.ClientNames}), but a client without a
 * confirmed name cannot be shown to claim falsely, so it warns only when it knows the name and the
 * claim is neither that name nor the client's address literal. Programs on this host (loopback,
 * {@code localhost}) name themselves as they like; warning about them is noise. sendmail's other
 * SMTP warning, "didn't use HELO protocol", cannot arise: MAIL always needs HELO or EHLO here.
 */
final class AuthWarning {
  private AuthWarning() {}

  /** The field, CRLF terminated, or the empty string when there is nothing to warn about. */
  static String field(SmtpSettings smtp, String hostname, Peer peer, String helo) {
    if (!smtp.has(PrivacyFlag.AUTHWARNINGS) || helo == null || peer.hostname() == null) {
      return "";
    }
    String known = peer.hostname().toLowerCase(Locale.ROOT);
    String claimed = helo.toLowerCase(Locale.ROOT);
    if (claimed.equals(known)
        || helo.equalsIgnoreCase(peer.addressLiteral())
        || known.equals("localhost")) {
      return "";
    }
    // HELO names are printable ASCII without spaces (checkHelo keeps the first word); no folding needed.
    return "X-Authentication-Warning: " + hostname + ": Host " + peer.relay() + " claimed to be " + helo + "\r\n";
  }
}
