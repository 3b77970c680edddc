package io.mailstream.delivery.testkit;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLContext;

/**
 * A fresh test CA and a server certificate for 127.0.0.1 and localhost issued by it, for the
 * {@link FakeSmartHost}'s STARTTLS: the server's {@link SSLContext} and the CA as the PEM file an
 * administrator would give as {@code delivery.tls-trust}.
 */
public final class TestTls {
  private final X509Bundle root;
  private final X509Bundle server;

  private TestTls(X509Bundle root, X509Bundle server) {
    this.root = root;
    this.server = server;
  }

  public static TestTls create() throws Exception {
    Instant now = Instant.now();
    X509Bundle root =
        new CertificateBuilder()
            .subject("CN=Mailstream Delivery Test CA")
            .setIsCertificateAuthority(true)
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .buildSelfSigned();
    X509Bundle server =
        new CertificateBuilder()
            .subject("CN=smarthost.test")
            .addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1")
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .addExtendedKeyUsageServerAuth()
            .buildIssuedBy(root);
    return new TestTls(root, server);
  }

  /** The server side: this certificate and key, TLS 1.2 and 1.3. */
  public SSLContext serverContext() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(server.toKeyManagerFactory().getKeyManagers(), null, null);
    return tls;
  }

  /** Writes the CA certificate as PEM to {@code file}. */
  public Path writeCa(Path file) throws Exception {
    return Files.writeString(file, root.getCertificatePEM(), StandardCharsets.US_ASCII);
  }

  /** The server certificate chain (server, CA) as PEM, e.g. for a Mailstream ingress's tls.cert. */
  public Path writeServerChain(Path file) throws Exception {
    return Files.writeString(file, server.getCertificatePathPEM(), StandardCharsets.US_ASCII);
  }

  /** The server's private key as PEM. */
  public Path writeServerKey(Path file) throws Exception {
    return Files.writeString(file, server.getPrivateKeyPEM(), StandardCharsets.US_ASCII);
  }
}
