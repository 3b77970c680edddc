package io.mailstream.core.testkit;

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
 * A server certificate for 127.0.0.1, localhost and mx.test issued by a fresh test CA: as the PEM
 * files an administrator would configure (tls.cert, tls.key, delivery.tls-trust), as a server's
 * {@link SSLContext}, and as client trust in that CA alone. Shared by the ingress, delivery and
 * end-to-end tests.
 */
public final class TestCertificates {
  private final X509Bundle root;
  private final X509Bundle server;
  private final Path certificate;
  private final Path key;

  private TestCertificates(X509Bundle root, X509Bundle server, Path certificate, Path key) {
    this.root = root;
    this.server = server;
    this.certificate = certificate;
    this.key = key;
  }

  /** Creates a fresh certificate and key under {@code dir} ({@code cert.pem}, {@code key.pem}). */
  public static TestCertificates create(Path dir) throws Exception {
    TestCertificates t = create();
    Path cert = Files.writeString(dir.resolve("cert.pem"), t.server.getCertificatePathPEM(), StandardCharsets.US_ASCII);
    Path key = Files.writeString(dir.resolve("key.pem"), t.server.getPrivateKeyPEM(), StandardCharsets.US_ASCII);
    return new TestCertificates(t.root, t.server, cert, key);
  }

  /** Creates a fresh certificate and key, in memory only. */
  public static TestCertificates create() throws Exception {
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
    return new TestCertificates(root, bundle, null, null);
  }

  /** The certificate chain's PEM file; only after {@link #create(Path)}. */
  public Path certificate() {
    return certificate;
  }

  public Path key() {
    return key;
  }

  /** The server side: this certificate and key. */
  public SSLContext serverContext() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(server.toKeyManagerFactory().getKeyManagers(), null, null);
    return tls;
  }

  /** Writes the CA certificate as PEM to {@code file}, as delivery.tls-trust takes it. */
  public Path writeCa(Path file) throws IOException {
    return Files.writeString(file, root.getCertificatePEM(), StandardCharsets.US_ASCII);
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
