package io.mailstream.core.config;

import io.mailstream.core.address.MailAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One validated, immutable configuration of a Mailstream node: what {@code mailstream.yaml} and the
 * command line say together. Build it with {@link ConfigBuilder}.
 *
 * @param hostname the name this relay uses in its banner, EHLO and Received headers (sendmail $j)
 * @param dataDir where the embedded broker, RocksDB state and local mailboxes live
 * @param listen the ingress's listeners, each with its role
 * @param relayFrom client networks allowed to relay to any domain
 * @param localDomains domains delivered locally (sendmail's class w, local-host-names)
 * @param smartHost the next hop for all non-local mail (sendmail's SMART_HOST); null when mail
 *     goes to each domain's MX hosts
 * @param smartHostMailer the mailer used for the smart host: relay, esmtp, smtp, smtp8 or dsmtp
 * @param routing the router's map files and features; {@link RoutingSettings#NONE} for none
 * @param smtp how the ingress talks to clients: banner, extensions, TLS, AUTH, anti-abuse controls
 * @param router how many router workers this node runs and how long a routing transaction lasts
 * @param submit the local submission socket of the {@code sendmail} command
 * @param admin the admin endpoint's address and the token that guards its orders
 */
public record MailstreamConfig(
    String hostname,
    Path dataDir,
    List<Listener> listen,
    List<Cidr> relayFrom,
    Set<String> localDomains,
    HostPort smartHost,
    String smartHostMailer,
    KafkaSettings kafka,
    Limits limits,
    DeliverySettings delivery,
    RoutingSettings routing,
    SmtpSettings smtp,
    RouterSettings router,
    SubmitSettings submit,
    AdminSettings admin) {

  public MailstreamConfig {
    listen = List.copyOf(listen);
    relayFrom = List.copyOf(relayFrom);
    localDomains = Set.copyOf(localDomains);
  }

  /**
   * A configuration with the default local submission socket ({@link SubmitSettings#DEFAULT}) and
   * the admin endpoint's defaults ({@link AdminSettings#DEFAULT}).
   */
  public MailstreamConfig(
      String hostname,
      Path dataDir,
      List<Listener> listen,
      List<Cidr> relayFrom,
      Set<String> localDomains,
      HostPort smartHost,
      String smartHostMailer,
      KafkaSettings kafka,
      Limits limits,
      DeliverySettings delivery,
      RoutingSettings routing,
      SmtpSettings smtp,
      RouterSettings router) {
    this(hostname, dataDir, listen, relayFrom, localDomains, smartHost, smartHostMailer, kafka, limits, delivery,
        routing, smtp, router, SubmitSettings.DEFAULT, AdminSettings.DEFAULT);
  }

  /** The absolute path of the local submission socket. */
  public Path submitSocket() {
    return submit.socketIn(dataDir);
  }

  /** A configuration with the router's defaults ({@link RouterSettings#DEFAULT}). */
  public MailstreamConfig(
      String hostname,
      Path dataDir,
      List<Listener> listen,
      List<Cidr> relayFrom,
      Set<String> localDomains,
      HostPort smartHost,
      String smartHostMailer,
      KafkaSettings kafka,
      Limits limits,
      DeliverySettings delivery,
      RoutingSettings routing,
      SmtpSettings smtp) {
    this(hostname, dataDir, listen, relayFrom, localDomains, smartHost, smartHostMailer, kafka, limits, delivery,
        routing, smtp, RouterSettings.DEFAULT);
  }

  /** Whether a domain is one of ours; compares without case and ignores a trailing dot. */
  public boolean isLocalDomain(String domain) {
    if (domain == null) {
      return true;
    }
    String d = domain.toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    return localDomains.contains(d) || d.equals(hostname.toLowerCase(Locale.ROOT));
  }

  /** Whether the recipient is delivered here rather than relayed. */
  public boolean isLocal(MailAddress recipient) {
    return isLocalDomain(recipient.domain());
  }

  /** Whether the client may relay to any domain (sendmail's RELAY in access or relay-domains). */
  public boolean mayRelay(InetAddress client) {
    return relayFrom.stream().anyMatch(c -> c.contains(client));
  }
}
