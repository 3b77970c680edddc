package io.mailstream.core.config;

import java.nio.file.Path;

/**
 * The server certificate for STARTTLS and implicit TLS, in PEM files.
 *
 * @param certificate the certificate chain, leaf first; null when TLS is off
 * @param key the private key (PKCS#8, unencrypted); null when TLS is off
 */
public record TlsSettings(Path certificate, Path key) {
  public static final TlsSettings NONE = new TlsSettings(null, null);

  public boolean enabled() {
    return certificate != null;
  }
}
