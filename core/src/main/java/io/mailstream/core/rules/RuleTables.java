package io.mailstream.core.rules;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.RoutingSettings;
import io.mailstream.core.rules.rewrite.DomainClass;
import io.mailstream.core.rules.rewrite.GenericsTable;
import io.mailstream.core.rules.rewrite.MasqueradeSettings;
import io.mailstream.core.rules.rewrite.MasqueradeSettings.Feature;
import io.mailstream.core.rules.rewrite.Masquerader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The map files a configuration names, read once. Absent features are null (or empty), so that
 * a missing table is never confused with one that matched nothing.
 */
record RuleTables(
    LocalHostNames localHostNames,
    DomainTable domaintable,
    VirtUserTable virtusertable,
    Aliases aliases,
    MailerTable mailertable,
    GenericsTable generics,
    RelayDomains relayDomains) {

  static RuleTables load(MailstreamConfig config) throws MapFileException {
    RoutingSettings r = config.routing();
    List<String> w = new ArrayList<>(config.localDomains());
    w.add(config.hostname());
    LocalHostNames local = r.localHostNames() == null ? LocalHostNames.of(w) : LocalHostNames.load(r.localHostNames(), w);
    DomainTable domains = r.domaintable() == null ? null : DomainTable.load(r.domaintable());
    Predicate<String> virtualDomain = VirtUserTable.domains(local, r.virtuserDomains(), r.virtuserEntireDomain());
    VirtUserTable virtual = r.virtusertable() == null ? null : VirtUserTable.load(r.virtusertable(), virtualDomain);
    // An alias member user@ours is aliased again as plain "user" only where no virtusertable
    // applies; otherwise it is routed again from the start, through the virtusertable, as
    // sendmail's ruleset 0 does (sendmail -bv on seed 002: webmaster@my-site.com... User unknown).
    Predicate<String> aliasAgain = virtual == null ? local::contains : d -> local.contains(d) && !virtualDomain.test(d);
    Aliases aliases =
        r.aliases() == null
            ? null
            : Aliases.load(r.aliases(), Aliases.Options.defaults()
                .allowPrograms(r.allowProgramAliases())
                .allowFiles(r.allowFileAliases())
                .localDomain(aliasAgain));
    MailerTable mailers = r.mailertable() == null ? MailerTable.empty() : MailerTable.load(r.mailertable());
    GenericsTable generics = generics(r);
    // cf/README: "If VIRTUSER_DOMAIN or VIRTUSER_DOMAIN_FILE is used, then the entries of class
    // {VirtHost} are added to class {R}, i.e., relaying is allowed to (and from) those domains".
    RelayDomains relay = RelayDomains.load(r.relayDomains(), r.virtuserDomains(), r.relayHostsOnly());
    return new RuleTables(local, domains, virtual, aliases, mailers, generics, relay);
  }

  private static GenericsTable generics(RoutingSettings r) throws MapFileException {
    Path file = r.genericstable();
    if (file == null) {
      return GenericsTable.none();
    }
    return GenericsTable.load(file, DomainClass.of("G", r.genericsDomains()), r.genericsEntireDomain());
  }

  /** sendmail's masquerading with these tables' class w and genericstable. */
  Masquerader masquerader(MailstreamConfig config) {
    RoutingSettings.Masquerade m = config.routing().masquerade();
    MasqueradeSettings.Builder b =
        MasqueradeSettings.builder(config.hostname())
            .localHostNames(localHostNames.names())
            .masqueradeDomain(m.domains().toArray(String[]::new))
            .masqueradeException(m.exceptions().toArray(String[]::new))
            .exposedUser(m.exposedUsers().toArray(String[]::new));
    if (m.as() != null) {
      b.masqueradeAs(m.as());
    }
    if (m.entireDomain()) {
      b.feature(Feature.MASQUERADE_ENTIRE_DOMAIN);
    }
    if (m.envelope()) {
      b.feature(Feature.MASQUERADE_ENVELOPE);
    }
    if (m.allMasquerade()) {
      b.feature(Feature.ALLMASQUERADE);
    }
    if (m.limited()) {
      b.feature(Feature.LIMITED_MASQUERADE);
    }
    if (m.alwaysAddDomain()) {
      b.feature(Feature.ALWAYS_ADD_DOMAIN);
    }
    return new Masquerader(b.build(), generics, domaintable == null ? DomainTable.empty() : domaintable);
  }
}
