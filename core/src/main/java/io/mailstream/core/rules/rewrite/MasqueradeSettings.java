package io.mailstream.core.rules.rewrite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the .mc file says about masquerading (cf/README, MASQUERADING AND RELAYING), with the local
 * host names it applies to. Immutable; build it with {@link #builder(String)}.
 *
 * @param hostName sendmail's {@code $j}, the canonical name of this host: unqualified and exposed
 *     addresses get it
 * @param localHostNames class {@code w} (local-host-names); always contains {@code hostName}
 * @param masqueradeAs MASQUERADE_AS, or null when masquerading is off
 * @param masqueradeDomains class {@code M}: MASQUERADE_DOMAIN and MASQUERADE_DOMAIN_FILE
 * @param exceptions class {@code N}: MASQUERADE_EXCEPTION and MASQUERADE_EXCEPTION_FILE; their
 *     subdomains are never masqueraded either
 * @param exposedUsers class {@code E}: EXPOSED_USER, in lower case. Empty by default: root has not
 *     been exposed by default since 8.10
 * @param features the masquerading FEATUREs in use
 * @param alwaysAddDomainName the argument of FEATURE(always_add_domain, domain), or null for the
 *     plain feature (which adds {@code $j}, or the masquerade name where masquerading applies)
 */
public record MasqueradeSettings(
    String hostName,
    DomainClass localHostNames,
    String masqueradeAs,
    DomainClass masqueradeDomains,
    DomainClass exceptions,
    Set<String> exposedUsers,
    Set<Feature> features,
    String alwaysAddDomainName) {

  /** The FEATUREs that change masquerading, by their sendmail names. */
  public enum Feature {
    MASQUERADE_ENTIRE_DOMAIN("masquerade_entire_domain"),
    MASQUERADE_ENVELOPE("masquerade_envelope"),
    ALLMASQUERADE("allmasquerade"),
    LIMITED_MASQUERADE("limited_masquerade"),
    ALWAYS_ADD_DOMAIN("always_add_domain");

    private final String sendmailName;

    Feature(String sendmailName) {
      this.sendmailName = sendmailName;
    }

    public String sendmailName() {
      return sendmailName;
    }

    /** The feature named as in {@code FEATURE(`masquerade_envelope')}; case does not matter. */
    public static Feature bySendmailName(String name) {
      for (Feature f : values()) {
        if (f.sendmailName.equalsIgnoreCase(name.strip())) {
          return f;
        }
      }
      throw new IllegalArgumentException("not a masquerading feature: " + name);
    }
  }

  public MasqueradeSettings {
    Objects.requireNonNull(hostName, "hostName");
    if (hostName.isBlank()) {
      throw new IllegalArgumentException("empty host name ($j)");
    }
    hostName = stripDot(hostName.strip());
    localHostNames = Objects.requireNonNull(localHostNames, "localHostNames").with(hostName);
    // MASQUERADE_AS(`') is the same as no masquerading ("$M is null" in ruleset MasqHdr).
    masqueradeAs = masqueradeAs == null || masqueradeAs.isBlank() ? null : stripDot(masqueradeAs.strip());
    Objects.requireNonNull(masqueradeDomains, "masqueradeDomains");
    Objects.requireNonNull(exceptions, "exceptions");
    Set<String> users = new LinkedHashSet<>();
    for (String u : exposedUsers) {
      users.add(u.strip().toLowerCase(Locale.ROOT));
    }
    exposedUsers = Set.copyOf(users);
    features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    alwaysAddDomainName =
        alwaysAddDomainName == null || alwaysAddDomainName.isBlank() ? null : alwaysAddDomainName.strip();
    if (alwaysAddDomainName != null && !features.contains(Feature.ALWAYS_ADD_DOMAIN)) {
      features = with(features, Feature.ALWAYS_ADD_DOMAIN);
    }
  }

  /** Starts settings for the host whose canonical name ({@code $j}) is {@code hostName}. */
  public static Builder builder(String hostName) {
    return new Builder(hostName);
  }

  public boolean masquerading() {
    return masqueradeAs != null;
  }

  public boolean masqueradeEntireDomain() {
    return features.contains(Feature.MASQUERADE_ENTIRE_DOMAIN);
  }

  public boolean masqueradeEnvelope() {
    return features.contains(Feature.MASQUERADE_ENVELOPE);
  }

  public boolean allMasquerade() {
    return features.contains(Feature.ALLMASQUERADE);
  }

  public boolean limitedMasquerade() {
    return features.contains(Feature.LIMITED_MASQUERADE);
  }

  public boolean alwaysAddDomain() {
    return features.contains(Feature.ALWAYS_ADD_DOMAIN);
  }

  public boolean isExposed(String localPart) {
    return exposedUsers.contains(localPart.toLowerCase(Locale.ROOT));
  }

  private static Set<Feature> with(Set<Feature> features, Feature f) {
    EnumSet<Feature> all = EnumSet.of(f);
    all.addAll(features);
    return Set.copyOf(all);
  }

  private static String stripDot(String name) {
    return name.length() > 1 && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** Collects the .mc settings one macro at a time; every method returns this builder. */
  public static final class Builder {
    private final String hostName;
    private DomainClass w = DomainClass.empty("w");
    private String masqueradeAs;
    private DomainClass m = DomainClass.empty("M");
    private DomainClass n = DomainClass.empty("N");
    private final List<String> exposed = new ArrayList<>();
    private final EnumSet<Feature> features = EnumSet.noneOf(Feature.class);
    private String alwaysAddDomainName;

    private Builder(String hostName) {
      this.hostName = hostName;
    }

    /** Names for class w besides $j (local-host-names, LOCAL_DOMAIN, [ip] of our interfaces). */
    public Builder localHostNames(Collection<String> names) {
      w = w.plus(DomainClass.of("w", names));
      return this;
    }

    public Builder localHostNames(DomainClass names) {
      w = w.plus(names);
      return this;
    }

    public Builder masqueradeAs(String domain) {
      masqueradeAs = domain;
      return this;
    }

    /** MASQUERADE_DOMAIN(`a.example b.example'). */
    public Builder masqueradeDomain(String... domains) {
      m = m.plus(DomainClass.of("M", List.of(domains)));
      return this;
    }

    /** MASQUERADE_DOMAIN_FILE, read with {@link DomainClass#read}. */
    public Builder masqueradeDomains(DomainClass domains) {
      m = m.plus(domains);
      return this;
    }

    /** MASQUERADE_EXCEPTION(`host.domain'). */
    public Builder masqueradeException(String... domains) {
      n = n.plus(DomainClass.of("N", List.of(domains)));
      return this;
    }

    /** MASQUERADE_EXCEPTION_FILE, read with {@link DomainClass#read}. */
    public Builder masqueradeExceptions(DomainClass domains) {
      n = n.plus(domains);
      return this;
    }

    /** EXPOSED_USER(`root daemon'); several names may be given in one string, as in the .mc. */
    public Builder exposedUser(String... users) {
      for (String u : users) {
        for (String one : u.strip().split("[ \\t]+")) {
          if (!one.isEmpty()) {
            exposed.add(one);
          }
        }
      }
      return this;
    }

    public Builder feature(Feature... fs) {
      features.addAll(List.of(fs));
      return this;
    }

    /** FEATURE(always_add_domain, `domain'): add this domain instead of $j. */
    public Builder alwaysAddDomain(String domain) {
      features.add(Feature.ALWAYS_ADD_DOMAIN);
      alwaysAddDomainName = domain;
      return this;
    }

    public MasqueradeSettings build() {
      return new MasqueradeSettings(
          hostName, w, masqueradeAs, m, n, Set.copyOf(exposed), features, alwaysAddDomainName);
    }
  }
}
