package io.mailstream.delivery.bounce;

import io.mailstream.delivery.local.MaildirMailer;

/** Reading the {@code relay=} text that outcomes carry (sendmail's {@code host. [address]}). */
final class Relays {
  private Relays() {}

  /** Whether the relay names a remote SMTP server (not the router, the local mailer or nothing). */
  static boolean isRemote(String relay) {
    return relay != null && !relay.isBlank() && !relay.equals("router") && !relay.equals(MaildirMailer.RELAY);
  }

  /** The host name for Remote-MTA: the relay text up to the bracketed address, without a final dot. */
  static String host(String relay) {
    String h = relay.trim();
    int space = h.indexOf(' ');
    if (space > 0) {
      h = h.substring(0, space);
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
