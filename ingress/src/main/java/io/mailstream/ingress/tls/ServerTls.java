package io.mailstream.ingress.tls;

import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.TlsSettings;
import io.mailstream.core.smtp.CipherSuites;
import io.mailstream.ingress.session.TlsInfo;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The server side of TLS for STARTTLS (RFC 3207) and implicit TLS (RFC 8314): one certificate and
 * key from PEM files, TLS 1.2 and 1.3 only, and the JDK's default cipher suites, which leave out
 * everything RFC 9325 forbids.
 */
public final class ServerTls {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SslContext context;

  private ServerTls(SslContext context) {
    this.context = context;
  }

  /**
   * Loads the certificate chain and key.
   *
   * @throws ConfigException naming the file that is missing or cannot be used, and why
   */
  public static ServerTls load(TlsSettings settings) throws ConfigException {
    if (!Files.isReadable(settings.certificate())) {
      throw new ConfigException("tls.cert: cannot read " + settings.certificate());
    }
    if (!Files.isReadable(settings.key())) {
      throw new ConfigException("tls.key: cannot read " + settings.key());
    }
    try {
      SslContext context =
          SslContextBuilder.forServer(settings.certificate().toFile(), settings.key().toFile())
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              // A relay does not ask clients for certificates; those who want it use AUTH.
              .clientAuth(ClientAuth.NONE)
              .build();
      return new ServerTls(context);
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException(
          "tls.cert/tls.key: cannot use " + settings.certificate() + " with " + settings.key()
              + " (PEM certificate chain and unencrypted PKCS#8 key expected): " + rootMessage(e),
          e);
    }
  }

  /**
   * A handler for one connection.
   *
   * @param startTls true after STARTTLS: the first write (the 220 reply) still leaves in the clear
   */
  public SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
    return new SslHandler(context.newEngine(alloc), startTls);
  }

  /** What sendmail logs and writes into Received for a TLS session. */
  public static TlsInfo describe(SSLSession session) {
    String cipher = session.getCipherSuite();
    return new TlsInfo(session.getProtocol(), cipher, CipherSuites.keyBits(cipher));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
