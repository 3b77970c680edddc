package io.mailstream.core.config;

import java.nio.file.Path;

/**
 * SMTP AUTH (RFC 4954) for clients that submit mail.
 *
 * @param usersFile the users file written by {@code mailstream passwd}; null when AUTH is off
 * @param allowPlaintext whether AUTH is offered before TLS (sendmail's confAUTH_OPTIONS without
 *     {@code p}); off by default, so passwords never cross the network in the clear
 */
public record AuthSettings(Path usersFile, boolean allowPlaintext) {
  public static final AuthSettings NONE = new AuthSettings(null, false);

  public boolean enabled() {
    return usersFile != null;
  }
}
