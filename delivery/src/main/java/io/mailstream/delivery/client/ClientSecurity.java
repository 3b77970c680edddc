package io.mailstream.delivery.client;

import io.mailstream.core.config.DeliverySettings;
import io.mailstream.core.rules.AuthInfo;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What the SMTP client does about TLS and authentication towards next hops, as sendmail's client
 * side does it: STARTTLS whenever the server offers it, certificates not verified unless a CA
 * bundle is configured (then one that does not verify defers the mail), and AUTH with the
 * credentials of the authinfo file (FEATURE(authinfo)), never in the clear unless allowed.
 */
public final class ClientSecurity {
  /** TLS 1.2 and 1.3 only (RFC 8996 retires the older versions). */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static final ClientSecurity PLAIN = new ClientSecurity(false, null, false, AuthInfo.none(), false);

  private final boolean starttls;
  private final SslContext context;
  private final boolean verifying;
  private final AuthInfo authInfo;
  private final boolean authWithoutTls;

  private ClientSecurity(
      boolean starttls, SslContext context, boolean verifying, AuthInfo authInfo, boolean authWithoutTls) {
    this.starttls = starttls;
    this.context = context;
    this.verifying = verifying;
    this.authInfo = Objects.requireNonNull(authInfo, "authInfo");
    this.authWithoutTls = authWithoutTls;
  }

  /** No STARTTLS, no AUTH: the client as it was before either existed. */
  public static ClientSecurity plain() {
    return PLAIN;
  }

  /**
   * @param starttls whether to use STARTTLS when offered
   * @param trust a PEM CA bundle that servers' certificates must chain to, or null not to verify
   * @param authInfo the credentials per next hop
   * @param authWithoutTls whether credentials may be sent without TLS
   * @throws IOException when the CA bundle cannot be read
   */
  public static ClientSecurity of(boolean starttls, Path trust, AuthInfo authInfo, boolean authWithoutTls)
      throws IOException {
    return new ClientSecurity(starttls, starttls ? context(trust) : null, trust != null, authInfo, authWithoutTls);
  }

  /** The security of the delivery settings, with the authinfo table already read. */
  public static ClientSecurity of(DeliverySettings settings, AuthInfo authInfo) throws IOException {
    return of(settings.starttls(), settings.tlsTrust(), authInfo, settings.authWithoutTls());
  }

  private static SslContext context(Path trust) throws IOException {
    SslContextBuilder b =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols(PROTOCOLS)
            // Like sendmail, the chain is checked, not the name: an MX's certificate rarely
            // names the host as routed, and DANE/MTA-STS are what settle names for SMTP.
            .endpointIdentificationAlgorithm(null);
    if (trust == null) {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else {
      try {
        b.trustManager(trust.toFile());
      } catch (IllegalArgumentException e) {
        throw new IOException("delivery.tls-trust: cannot read " + trust + ": " + e.getMessage(), e);
      }
    }
    try {
      return b.build();
    } catch (SSLException e) {
      throw new IOException("delivery.tls-trust: cannot use " + trust + ": " + e.getMessage(), e);
    }
  }

  /** Whether to send STARTTLS when the server offers it. */
  public boolean starttls() {
    return starttls;
  }

  SslContext context() {
    return context;
  }

  /** True when servers' certificates are verified; a failure then defers instead of going plain. */
  public boolean verifying() {
    return verifying;
  }

  /** Whether credentials may be sent over a connection without TLS. */
  public boolean authWithoutTls() {
    return authWithoutTls;
  }

  /** The credentials for a next hop: by its name, then its address, then the default entry. */
  public Optional<AuthInfo.Credentials> credentials(String host, InetSocketAddress address) {
    String ip = address.getAddress() == null ? null : address.getAddress().getHostAddress();
    return authInfo.lookup(host, ip);
  }
}
