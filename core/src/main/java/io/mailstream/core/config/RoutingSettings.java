package io.mailstream.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The router's rules, in sendmail's terms: which map files to read and which features are on. Map
 * paths are null when a feature is not used. Relative paths in a config file are resolved against
 * the file's directory.
 *
 * @param mailertable FEATURE(mailertable)
 * @param virtusertable FEATURE(virtusertable)
 * @param aliases the aliases file (AliasFile)
 * @param domaintable FEATURE(domaintable)
 * @param genericstable FEATURE(genericstable)
 * @param localHostNames FEATURE(use_cw_file): more names of class w
 * @param relayDomains the relay-domains file (class R)
 * @param access FEATURE(access_db): the access file the ingress checks clients, senders and
 *     relaying against
 * @param relayHostsOnly FEATURE(relay_hosts_only): class R and access RELAY entries name hosts,
 *     not domains with their subdomains
 * @param virtuserDomains VIRTUSER_DOMAIN: domains virtusertable applies to besides class w
 * @param virtuserEntireDomain FEATURE(virtuser_entire_domain)
 * @param genericsDomains GENERICS_DOMAIN and GENERICS_DOMAIN_FILE contents
 * @param genericsEntireDomain FEATURE(generics_entire_domain)
 * @param allowProgramAliases whether {@code |program} alias targets may be used (default no)
 * @param allowFileAliases whether {@code /file} alias targets may be used (default no)
 * @param mailerPorts TCP port per mailer (RELAY_MAILER_ARGS {@code TCP $h 587} and friends)
 * @param masquerade MASQUERADE_AS and the masquerading features
 * @param authinfo FEATURE(authinfo): credentials for next hops that require AUTH (read by the
 *     delivery stage)
 * @param mailHub MAIL_HUB (and FEATURE(nullclient)'s hub): where mail for a local user that no
 *     alias takes goes, through the relay mailer, as {@code user@hub}; {@code hub} or {@code
 *     [address]}; null to deliver such mail here
 */
public record RoutingSettings(
    Path mailertable,
    Path virtusertable,
    Path aliases,
    Path domaintable,
    Path genericstable,
    Path localHostNames,
    Path relayDomains,
    Path access,
    boolean relayHostsOnly,
    Set<String> virtuserDomains,
    boolean virtuserEntireDomain,
    Set<String> genericsDomains,
    boolean genericsEntireDomain,
    boolean allowProgramAliases,
    boolean allowFileAliases,
    Map<String, Integer> mailerPorts,
    Masquerade masquerade,
    Path authinfo,
    String mailHub) {

  public RoutingSettings {
    virtuserDomains = Set.copyOf(virtuserDomains);
    genericsDomains = Set.copyOf(genericsDomains);
    mailerPorts = Map.copyOf(mailerPorts);
  }

  /** The port for {@code mailer}; 25 unless configured. */
  public int port(String mailer) {
    return mailerPorts.getOrDefault(mailer, 25);
  }

  /**
   * Masquerading as sendmail's .mc file sets it.
   *
   * @param as MASQUERADE_AS, or null for no masquerading
   * @param domains MASQUERADE_DOMAIN and MASQUERADE_DOMAIN_FILE contents (class M)
   * @param exceptions MASQUERADE_EXCEPTION
   * @param exposedUsers EXPOSED_USER
   */
  public record Masquerade(
      String as,
      List<String> domains,
      List<String> exceptions,
      List<String> exposedUsers,
      boolean entireDomain,
      boolean envelope,
      boolean allMasquerade,
      boolean alwaysAddDomain,
      boolean limited) {

    public Masquerade {
      domains = List.copyOf(domains);
      exceptions = List.copyOf(exceptions);
      exposedUsers = List.copyOf(exposedUsers);
    }

    public static final Masquerade NONE =
        new Masquerade(null, List.of(), List.of(), List.of(), false, false, false, false, false);
  }

  public static final RoutingSettings NONE =
      new RoutingSettings(null, null, null, null, null, null, null, null, false, Set.of(), false, Set.of(), false,
          false, false, Map.of(), Masquerade.NONE, null, null);
}
