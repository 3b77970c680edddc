package io.mailstream.ops.reload;

import io.mailstream.core.config.Limits;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.SmtpSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a new configuration version cannot change on this node. Some settings only take effect
 * when the node starts (its listeners, data directory, Kafka, delivery and router workers, the accept
 * deadline of its producer, the TLS certificate and AUTH users it loaded, the free-space floor of its
 * data directory, the sendmail command's socket and offline mode): a version that changes
 * them runs with this node's values and says so ("listen changed; restart to apply"), while the
 * rest of it applies. Listeners, data directory, certificate and users are this node's own and are
 * never taken from another node's version. Options given on this node's command line win over every version, as they
 * win over the file at start.
 */
public final class NodeSettings {
  private final MailstreamConfig start;
  private final boolean hostnamePinned;
  private final boolean smartHostPinned;
  private final boolean relayFromPinned;
  private final boolean localDomainsPinned;

  /**
   * @param start the configuration the node started with (file and command line)
   * @param fileOnly what the file alone says; where {@code start} differs, the command line set it
   */
  public NodeSettings(MailstreamConfig start, MailstreamConfig fileOnly) {
    this.start = start;
    this.hostnamePinned = !start.hostname().equals(fileOnly.hostname());
    this.smartHostPinned = !Objects.equals(start.smartHost(), fileOnly.smartHost());
    this.relayFromPinned = !start.relayFrom().equals(fileOnly.relayFrom());
    this.localDomainsPinned = !start.localDomains().equals(fileOnly.localDomains());
  }

  public MailstreamConfig start() {
    return start;
  }

  /** {@code next} with this node's restart-only settings and command-line options. */
  public MailstreamConfig apply(MailstreamConfig next) {
    // The certificate and users were loaded at start, and are this node's own: a session must not
    // offer what the server cannot do.
    SmtpSettings s = next.smtp();
    SmtpSettings smtp =
        new SmtpSettings(s.banner(), s.greetPause(), s.commandTimeout(), s.badRcptThrottle(), s.connectionRateThrottle(), s.maxConnections(),
            s.maxConnectionsPerIp(), s.privacy(), s.maxLineLength(), s.smtputf8(), s.dsn(), s.chunking(),
            start.smtp().tls(), start.smtp().auth(), s.reverseDns(), s.trustedProxies(), start.smtp().minFreeSpace());
    Limits l = next.limits();
    Limits limits = new Limits(l.maxMessageSize(), l.maxRecipients(), l.maxHops(), start.limits().acceptDeadline());
    return new MailstreamConfig(
        hostnamePinned ? start.hostname() : next.hostname(),
        start.dataDir(),
        start.listen(),
        relayFromPinned ? start.relayFrom() : next.relayFrom(),
        localDomainsPinned ? start.localDomains() : next.localDomains(),
        smartHostPinned ? start.smartHost() : next.smartHost(),
        next.smartHostMailer(),
        start.kafka(),
        limits,
        start.delivery(),
        next.routing(),
        smtp,
        start.router(),
        start.submit(),
        start.admin());
  }

  /**
   * The settings {@code next} changes that need a restart, each as {@code "listen changed;
   * restart to apply"}; empty when it changes none.
   *
   * @param own whether {@code next} comes from this node's own files; listeners, data directory,
   *     certificate and users differ from node to node, so only this node's files can change them
   */
  public List<String> restartNeeded(MailstreamConfig next, boolean own) {
    List<String> out = new ArrayList<>();
    if (own) {
      check(out, "listen", start.listen(), next.listen());
      check(out, "data-dir", start.dataDir().toAbsolutePath().normalize(), next.dataDir().toAbsolutePath().normalize());
      check(out, "tls", start.smtp().tls(), next.smtp().tls());
      check(out, "auth", start.smtp().auth(), next.smtp().auth());
      check(out, "smtp.min-free-space", start.smtp().minFreeSpace(), next.smtp().minFreeSpace());
      // The socket is bound and submit.info written when the ingress starts.
      check(out, "submit", start.submit(), next.submit());
    }
    check(out, "kafka", start.kafka(), next.kafka());
    check(out, "delivery", start.delivery(), next.delivery());
    check(out, "router", start.router(), next.router());
    check(out, "limits.accept-deadline", start.limits().acceptDeadline(), next.limits().acceptDeadline());
    if (!hostnamePinned && !start.hostname().equals(next.hostname())) {
      // The ingress and router take the new name; delivery's EHLO and Maildir use the one they started with.
      out.add("hostname changed for ingress and router; restart to apply it to delivery");
    }
    return out;
  }

  private static void check(List<String> out, String what, Object running, Object next) {
    if (!Objects.equals(running, next)) {
      out.add(what + " changed; restart to apply");
    }
  }
}
