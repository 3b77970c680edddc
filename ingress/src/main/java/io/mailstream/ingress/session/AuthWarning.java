package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.PrivacyFlag;
import io.mailstream.core.config.SmtpSettings;
import java.util.Locale;
import java.util.Set;

/**
 * privacy authwarnings: the {@code X-Authentication-Warning:} fields sendmail adds when the client's
 * HELO name is not the name it really has (srvrsmtp.c, PICKY_HELO_CHECK): {@code
 * X-Authentication-Warning: mx.example: Host host.example [192.0.2.1] claimed to be other.example},
 * and when a local user who is not trusted sets another sender with {@code -f} (main.c): {@code
 * X-Authentication-Warning: mx.example: nobody set sender to boss@example.com using -f}. They
 * travel with the trace field, below it.
 *
 * <p>sendmail compares the HELO name with the client's name from reverse DNS. The ingress looks
 * names up too ({@link io.mailstream.ingress.server.ClientNames}), but a client without a
 * confirmed name cannot be shown to claim falsely, so it warns only when it knows the name and the
 * claim is neither that name nor the client's address literal. Programs on this host (loopback,
 * {@code localhost}) name themselves as they like; warning about them is noise. sendmail's other
 * SMTP warning, "didn't use HELO protocol", cannot arise: MAIL always needs HELO or EHLO here.
 */
final class AuthWarning {
  // sendmail's class t as Debian's submit.cf sets it (Troot Tdaemon Tuucp, and smmsp for the MSP):
  // users who may set any sender without a warning.
  private static final Set<String> TRUSTED = Set.of("root", "daemon", "uucp", "smmsp");

  private AuthWarning() {}

  /** The fields, CRLF terminated, or the empty string when there is nothing to warn about. */
  static String field(SmtpSettings smtp, String hostname, Peer peer, String helo, MailAddress sender) {
    if (!smtp.has(PrivacyFlag.AUTHWARNINGS)) {
      return "";
    }
    return peer.isLocalSubmission() ? senderSet(hostname, peer.localUser(), sender) : heloClaim(hostname, peer, helo);
  }

  // A local user's own address is user@$j; anything else came from -f (or -bs's MAIL FROM).
  private static String senderSet(String hostname, String user, MailAddress sender) {
    if (TRUSTED.contains(user)) {
      return "";
    }
    boolean own = !sender.isNullSender() && user.equals(sender.localPart())
        && hostname.equalsIgnoreCase(sender.domain() == null ? hostname : sender.domain());
    return own ? "" : "X-Authentication-Warning: " + hostname + ": " + user + " set sender to "
        + (sender.isNullSender() ? "<>" : sender.toString()) + " using -f\r\n";
  }

  private static String heloClaim(String hostname, Peer peer, String helo) {
    if (helo == null || peer.hostname() == null) {
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
