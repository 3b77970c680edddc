package io.mailstream.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Collects the {@code routing:}, {@code masquerade:} and {@code mailers:} sections. */
public final class RoutingBuilder {
  private final Map<String, Path> maps = new HashMap<>();
  private final Set<String> virtuserDomains = new LinkedHashSet<>();
  private final Set<String> genericsDomains = new LinkedHashSet<>();
  private final Map<String, Integer> mailerPorts = new HashMap<>();
  private final Map<String, Boolean> flags = new HashMap<>();
  private String masqueradeAs;
  private List<String> masqueradeDomains = List.of();
  private List<String> masqueradeExceptions = List.of();
  private List<String> exposedUsers = List.of();
  private String mailHub;

  static final Set<String> MAPS =
      Set.of("mailertable", "virtusertable", "aliases", "domaintable", "genericstable", "local-host-names",
          "relay-domains", "access", "authinfo");
  static final Set<String> FLAGS =
      Set.of("routing.virtuser-entire-domain", "routing.generics-entire-domain", "routing.allow-program-aliases",
          "routing.allow-file-aliases", "routing.relay-hosts-only", "masquerade.entire-domain", "masquerade.envelope",
          "masquerade.all", "masquerade.always-add-domain", "masquerade.limited");

  /** Sets a map file ({@code mailertable}, {@code aliases}, ...). */
  public RoutingBuilder map(String name, Path file) {
    if (!MAPS.contains(name)) {
      throw new IllegalArgumentException("unknown key 'routing." + name + "'");
    }
    maps.put(name, file);
    return this;
  }

  public RoutingBuilder flag(String key, boolean value) {
    if (!FLAGS.contains(key)) {
      throw new IllegalArgumentException("unknown key '" + key + "'");
    }
    flags.put(key, value);
    return this;
  }

  public RoutingBuilder virtuserDomains(List<String> domains) {
    virtuserDomains.clear();
    domains.forEach(d -> virtuserDomains.add(domain(d)));
    return this;
  }

  public RoutingBuilder genericsDomains(List<String> domains) {
    genericsDomains.clear();
    domains.forEach(d -> genericsDomains.add(domain(d)));
    return this;
  }

  public RoutingBuilder mailerPort(String mailer, int port) {
    String m = mailer.toLowerCase(Locale.ROOT);
    if (!ConfigBuilder.MAILERS.contains(m)) {
      throw new IllegalArgumentException("mailers." + mailer + ": unknown mailer (use relay, esmtp, smtp, smtp8 or dsmtp)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("mailers." + mailer + ": port out of range: " + port);
    }
    mailerPorts.put(m, port);
    return this;
  }

  public RoutingBuilder masqueradeAs(String domain) {
    masqueradeAs = domain == null || domain.isBlank() ? null : domain(domain);
    return this;
  }

  public RoutingBuilder masqueradeDomains(List<String> domains) {
    masqueradeDomains = domains.stream().map(RoutingBuilder::domain).toList();
    return this;
  }

  public RoutingBuilder masqueradeExceptions(List<String> domains) {
    masqueradeExceptions = domains.stream().map(RoutingBuilder::domain).toList();
    return this;
  }

  public RoutingBuilder exposedUsers(List<String> users) {
    exposedUsers = new ArrayList<>(users);
    return this;
  }

  /**
   * MAIL_HUB: a host name or {@code [address]}, without a port (the relay mailer's, {@code
   * mailers.relay}, applies).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public RoutingBuilder mailHub(String host) {
    String h = host == null ? "" : host.strip();
    if (h.isEmpty()) {
      mailHub = null;
      return this;
    }
    if (h.contains("@")) {
      throw new IllegalArgumentException("routing.mail-hub: '" + host + "' is an address; name the hub host only:"
          + " each local user goes there as user@hub");
    }
    boolean bracketed = h.startsWith("[") && h.endsWith("]");
    String name = bracketed ? h.substring(1, h.length() - 1) : h;
    if (name.isEmpty() || name.matches(".*[\\s@\\[\\]/].*") || (!bracketed && name.contains(":"))) {
      throw new IllegalArgumentException("routing.mail-hub: expected a host name or [address] without a port"
          + " (the relay mailer's port, mailers.relay, applies), got '" + host + "'");
    }
    mailHub = bracketed ? "[" + name + "]" : domain(name);
    return this;
  }

  RoutingSettings build() {
    RoutingSettings.Masquerade m =
        new RoutingSettings.Masquerade(
            masqueradeAs, masqueradeDomains, masqueradeExceptions, exposedUsers,
            flag("masquerade.entire-domain"), flag("masquerade.envelope"), flag("masquerade.all"),
            flag("masquerade.always-add-domain"), flag("masquerade.limited"));
    return new RoutingSettings(
        maps.get("mailertable"), maps.get("virtusertable"), maps.get("aliases"), maps.get("domaintable"),
        maps.get("genericstable"), maps.get("local-host-names"), maps.get("relay-domains"), maps.get("access"),
        flag("routing.relay-hosts-only"), virtuserDomains, flag("routing.virtuser-entire-domain"), genericsDomains,
        flag("routing.generics-entire-domain"), flag("routing.allow-program-aliases"),
        flag("routing.allow-file-aliases"), mailerPorts, m, maps.get("authinfo"), mailHub);
  }

  private boolean flag(String key) {
    return flags.getOrDefault(key, false);
  }

  private static String domain(String d) {
    String s = d.strip().toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
