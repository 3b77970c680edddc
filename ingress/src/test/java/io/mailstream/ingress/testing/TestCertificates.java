package io.mailstream.ingress.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * A server certificate for 127.0.0.1, localhost and mx.test issued by a test CA, written as the
 * PEM files an administrator would configure, plus client trust in that CA alone.
 */
public final class TestCertificates {
  private final X509Bundle root;
  private final Path certificate;
  private final Path key;

  private TestCertificates(X509Bundle root, Path certificate, Path key) {
    this.root = root;
    this.certificate = certificate;
    this.key = key;
  }

  /** Creates a fresh certificate and key under {@code dir} ({@code cert.pem}, {@code key.pem}). */
  public static TestCertificates create(Path dir) throws Exception {
    Instant now = Instant.now();
    X509Bundle root =
        new CertificateBuilder()
            .subject("CN=Mailstream Test CA")
            .setIsCertificateAuthority(true)
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .buildSelfSigned();
    X509Bundle bundle =
        new CertificateBuilder()
            .subject("CN=mx.test")
            .addSanDnsName("localhost")
            .addSanDnsName("mx.test")
            .addSanIpAddress("127.0.0.1")
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .addExtendedKeyUsageServerAuth()
            .buildIssuedBy(root);
    Path cert = Files.writeString(dir.resolve("cert.pem"), bundle.getCertificatePathPEM(), StandardCharsets.US_ASCII);
    Path key = Files.writeString(dir.resolve("key.pem"), bundle.getPrivateKeyPEM(), StandardCharsets.US_ASCII);
    return new TestCertificates(root, cert, key);
  }

  public Path certificate() {
    return certificate;
  }

  public Path key() {
    return key;
  }

  /** Sockets that trust the test CA and nothing else. */
  public SSLSocketFactory clientSockets() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, root.toTrustManagerFactory().getTrustManagers(), null);
    return tls.getSocketFactory();
  }

  /** A PKCS#12 trust store holding the test CA, for clients configured by files. */
  public Path trustStore(Path dir, char[] password) throws IOException, KeyStoreException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("mailstream-test-ca", root.getCertificate());
      Path file = dir.resolve("trust.p12");
      try (var out = Files.newOutputStream(file)) {
        store.store(out, password);
      }
      return file;
    } catch (java.security.GeneralSecurityException e) {
      throw new KeyStoreException(e);
    }
  }
}
