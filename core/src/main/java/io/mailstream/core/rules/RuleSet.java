package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.HostPort;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.RoutingSettings;
import io.mailstream.core.event.Destination;
import io.mailstream.core.rules.rewrite.Masquerader;
import io.mailstream.core.smtp.EnhancedStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * sendmail's routing for a relay, in sendmail's order: domaintable, then the virtusertable for
 * local and virtual domains, aliases for local users, the mailertable for everything else, then
 * the SMART_HOST, and finally the recipient domain's MX hosts. Immutable: a reloaded configuration
 * is a new RuleSet, so a message is routed under one version of the rules, never a mix.
 */
public final class RuleSet {
  /** Forwards and alias addresses routed again; sendmail's MaxAliasRecursion is 10. */
  static final int MAX_DEPTH = 10;

  private final RuleTables tables;
  private final Masquerader masquerader;
  private final Destination smartHost;
  private final RoutingSettings routing;
  private final String hostname;
  private final String fingerprint;
  private final DestinationLabels labels;

  RuleSet(RuleTables tables, Masquerader masquerader, Destination smartHost, RoutingSettings routing, String hostname) {
    this.tables = tables;
    this.masquerader = masquerader;
    this.smartHost = smartHost;
    this.routing = routing;
    this.hostname = hostname;
    this.fingerprint =
        RouteFingerprint.of(tables.localHostNames(), tables.mailertable(), smartHost, routing.mailerPorts(), routing.mailHub());
    this.labels = labels(tables.mailertable(), smartHost);
  }

  /**
   * Reads every map file the configuration names.
   *
   * @throws MapFileException naming the file and line of the first problem
   */
  public static RuleSet load(MailstreamConfig config) throws MapFileException {
    RuleTables tables = RuleTables.load(config);
    HostPort h = config.smartHost();
    Destination smart = h == null ? null : new Destination(config.smartHostMailer(), h.host(), h.port(), !h.bracketed());
    return new RuleSet(tables, tables.masquerader(config), smart, config.routing(), config.hostname());
  }

  public Masquerader masquerader() {
    return masquerader;
  }

  /**
   * A short hash of what decides an expanded recipient's mailer and host ({@link RouteFingerprint}):
   * the router stamps it on every routed recipient, and delivery routes a retry again when the
   * rules in force have another.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * The next hops an operator named: the SMART_HOST and the mailertable's hosts. Metrics label
   * delivery with these and put every other host under {@code other} ({@link DestinationLabels}),
   * so that MX delivery to the whole world does not make a label per domain.
   */
  public DestinationLabels destinationLabels() {
    return labels;
  }

  private static DestinationLabels labels(MailerTable mailertable, Destination smartHost) {
    java.util.Set<String> hosts = new java.util.HashSet<>(mailertable.relayHosts());
    if (smartHost != null) {
      smartHost.hops().forEach(h -> hosts.add(h.host().toLowerCase(java.util.Locale.ROOT)));
    }
    return new DestinationLabels(hosts);
  }

  /** Whether a genericstable is configured, so that sender headers may be rewritten. */
  public boolean hasGenerics() {
    return !tables.generics().isEmpty();
  }

  /**
   * Whether a domaintable is configured: ruleset 3 renames domains in every header address too, so
   * headers are rewritten even without masquerading.
   */
  public boolean hasDomainTable() {
    return tables.domaintable() != null && tables.domaintable().size() > 0;
  }

  /** Mailertable entries that load but never match (a key ending in a dot); the node warns. */
  public List<MapEntry> mailertableEntriesNeverMatched() {
    return tables.mailertable().ignored();
  }

  /** Whether {@code domain} is delivered here (class w). */
  public boolean isLocal(String domain) {
    return tables.localHostNames().contains(domain);
  }

  /**
   * Class R: relay-domains, the VIRTUSER_DOMAIN names, and FEATURE(relay_hosts_only) if set. The
   * ingress allows relaying to these domains and from clients listed in them.
   */
  public RelayDomains relayDomains() {
    return tables.relayDomains();
  }

  /** Every final destination of {@code recipient}, with the steps recorded in {@code trace}. */
  public List<Resolved> resolve(MailAddress recipient, Trace trace) {
    List<Resolved> out = new ArrayList<>();
    resolve(recipient, recipient, 0, trace, out);
    return out;
  }

  private void resolve(MailAddress original, MailAddress address, int depth, Trace trace, List<Resolved> out) {
    if (depth > MAX_DEPTH) {
      out.add(new Resolved.Fail(original, new ErrorReply(554, EnhancedStatus.X_5_4_6,
          "aliasing/forwarding loop broken (" + depth + " levels deep; " + MAX_DEPTH + " max)")));
      return;
    }
    if (address.domain() == null) {
      trace.note(address.bracketed() + " has no domain: a local user");
      local(original, address.unquotedLocalPart(), depth, trace, out);
      return;
    }
    MailAddress a = renamed(withoutTrailingDot(address), trace);
    boolean local = tables.localHostNames().contains(a.domainKey(), trace);
    if (tables.virtusertable() != null) {
      Optional<VirtualTarget> v = tables.virtusertable().lookup(a, trace);
      if (v.isPresent()) {
        virtual(original, v.get(), depth, trace, out);
        return;
      }
    }
    if (local) {
      local(original, a.unquotedLocalPart(), depth, trace, out);
      return;
    }
    if (a.hasAddressLiteral()) {
      deliver(original, a, literal(a, trace), trace, out);
      return;
    }
    Optional<MailerRoute> m = tables.mailertable().route(a, trace);
    if (m.isPresent()) {
      mailertable(original, a, m.get(), depth, trace, out);
    } else {
      deliver(original, a, smartHostOrMx(a, trace), trace, out);
    }
  }

  /**
   * The mailer and host, under these rules, of a recipient the rules already expanded: a retry
   * whose routing changed since it was routed. Only the steps after the virtusertable and the
   * aliases run again (class w, the mailertable, SMART_HOST, MX), so an alias list is never
   * expanded a second time and nobody gets a second copy. A domain that became local goes to the
   * local mailbox of that name, unaliased; a mailertable entry that names a user
   * ({@code mailer:user@host}) gives its mailer and host but does not rewrite the address again.
   */
  public Resolved routeAgain(MailAddress recipient, Trace trace) {
    List<Resolved> out = new ArrayList<>(1);
    MailAddress a = recipient.domain() == null ? recipient : withoutTrailingDot(recipient);
    if (a.domain() == null || tables.localHostNames().contains(a.domainKey(), trace)) {
      localMailbox(recipient, a.unquotedLocalPart(), trace, out);
    } else if (a.hasAddressLiteral()) {
      deliver(recipient, a, literal(a, trace), trace, out);
    } else {
      Optional<MailerRoute> m = tables.mailertable().route(a, trace);
      if (m.isEmpty()) {
        deliver(recipient, a, smartHostOrMx(a, trace), trace, out);
      } else if (m.get() instanceof MailerRoute.Relay r) {
        try {
          deliver(recipient, a, Destination.ofHosts(r.mailer(), hops(r), routing.port(r.mailer())), trace, out);
        } catch (IllegalArgumentException e) {
          out.add(new Resolved.Fail(recipient, new ErrorReply(554, new EnhancedStatus(5, 3, 5),
              "mailertable gives a bad host for " + a.domainKey() + ": " + e.getMessage())));
        }
      } else if (m.get() instanceof MailerRoute.Local l) {
        localMailbox(recipient, l.user(), trace, out);
      } else {
        out.add(new Resolved.Fail(recipient, (ErrorReply) m.get()));
      }
    }
    return out.get(0);
  }

  /** @throws IllegalArgumentException for a bad host, which only a %n substitution can give */
  private static List<Destination.Hop> hops(MailerRoute.Relay r) {
    List<Destination.Hop> hops = new ArrayList<>();
    for (MailerRoute.Host h : r.hosts()) {
      hops.add(new Destination.Hop(h.name(), h.mxLookup()));
    }
    return hops;
  }

  /**
   * proto.m4's ruleset 0 for a numeric address spec: to the SMART_HOST with its mailer when there
   * is one ("Add smart host to path"), else to the address itself. The mailertable is never asked.
   */
  private Destination literal(MailAddress a, Trace trace) {
    if (smartHost != null) {
      trace.note("address literal " + a.domain() + ": SMART_HOST " + smartHost.key() + " (ruleset 0 sends numeric addresses there)");
      return smartHost;
    }
    String literal = a.domain().substring(1, a.domain().length() - 1);
    return new Destination("esmtp", literal.replaceFirst("(?i)^IPv6:", ""), routing.port("esmtp"), false);
  }

  private Destination smartHostOrMx(MailAddress a, Trace trace) {
    if (smartHost != null) {
      trace.note("SMART_HOST " + smartHost.key());
      return smartHost;
    }
    trace.note("no SMART_HOST: MX hosts of " + a.domainKey());
    return new Destination("esmtp", a.domainKey(), routing.port("esmtp"), true);
  }

  /**
   * sendmail's ruleset 3 drops a trailing dot from the domain ({@code $* < @ $+ . >}), so that
   * {@code U@X.Corp.Example.} is delivered, and given to the next hop, as {@code U@X.Corp.Example}.
   */
  private static MailAddress withoutTrailingDot(MailAddress a) {
    String d = a.domain();
    if (d.length() < 2 || !d.endsWith(".")) {
      return a;
    }
    return new MailAddress(a.localPart(), d.substring(0, d.length() - 1));
  }

  private MailAddress renamed(MailAddress a, Trace trace) {
    if (tables.domaintable() == null || a.hasAddressLiteral()) {
      return a;
    }
    return tables.domaintable().rewrite(a.domainKey(), trace).map(d -> new MailAddress(a.localPart(), d)).orElse(a);
  }

  private void virtual(MailAddress original, VirtualTarget target, int depth, Trace trace, List<Resolved> out) {
    if (target instanceof VirtualTarget.Local l) {
      local(original, l.user(), depth, trace, out);
    } else if (target instanceof VirtualTarget.Forward f) {
      resolve(original, f.address(), depth + 1, trace, out);
    } else {
      out.add(new Resolved.Fail(original, (ErrorReply) target));
    }
  }

  private void mailertable(
      MailAddress original, MailAddress a, MailerRoute route, int depth, Trace trace, List<Resolved> out) {
    if (route instanceof MailerRoute.Relay r) {
      List<Destination.Hop> hops;
      try {
        hops = hops(r);
      } catch (IllegalArgumentException e) {
        // Only a %n substitution can get here (the table's own values were checked at load time).
        out.add(new Resolved.Fail(original, new ErrorReply(554, new EnhancedStatus(5, 3, 5),
            "mailertable gives a bad host for " + a.domainKey() + ": " + e.getMessage())));
        return;
      }
      if (hops.size() > 1) {
        // sendmail's deliver() tries them in turn ("try next MX site"); so does SmtpMailer.
        trace.note("hosts tried in order: " + hops.stream().map(Destination.Hop::toString).collect(Collectors.joining(", ")));
      }
      MailAddress target = a;
      if (r.recipient() != null) {
        try {
          target = MailAddress.parse(r.recipient());
        } catch (io.mailstream.core.address.AddressException e) {
          out.add(new Resolved.Fail(original, new ErrorReply(553, EnhancedStatus.X_5_1_3, "mailertable gives a bad address: " + e.getMessage())));
          return;
        }
      }
      deliver(original, target, Destination.ofHosts(r.mailer(), hops, routing.port(r.mailer())), trace, out);
    } else if (route instanceof MailerRoute.Local l) {
      local(original, l.user(), depth, trace, out);
    } else {
      out.add(new Resolved.Fail(original, (ErrorReply) route));
    }
  }

  private void local(MailAddress original, String user, int depth, Trace trace, List<Resolved> out) {
    if (tables.aliases() == null) {
      localMailbox(original, user, trace, out);
      return;
    }
    Lookup<AliasExpansion> expansion = tables.aliases().expand(user, trace);
    if (expansion instanceof Lookup.TempFail<AliasExpansion> t) {
      out.add(new Resolved.Fail(original, new ErrorReply(451, EnhancedStatus.X_4_3_0, "aliases: " + t.reason())));
      return;
    }
    if (!(expansion instanceof Lookup.Found<AliasExpansion> found)) {
      localMailbox(original, user, trace, out);
      return;
    }
    for (AliasTarget t : found.value().targets()) {
      if (t instanceof AliasTarget.LocalUser u) {
        localMailbox(original, u.user(), trace, out);
      } else if (t instanceof AliasTarget.Address ad) {
        resolve(original, ad.address(), depth + 1, trace, out);
      } else {
        // Allowed in the aliases file, but this relay has no program or file mailer.
        out.add(new Resolved.Fail(original, new ErrorReply(550, EnhancedStatus.X_5_7_1,
            "alias target " + t + " needs a program or file mailer, which Mailstream does not have")));
      }
    }
    for (AliasExpansion.Failure f : found.value().failures()) {
      trace.note(f.where() + " " + f.target() + " -> " + f.reply());
      out.add(new Resolved.Fail(original, f.reply()));
    }
  }

  /**
   * The local mailer, or with MAIL_HUB its ruleset 5 (F=5 on the local mailer): a local user that
   * no alias took goes to the hub through the relay mailer as {@code user@hub}.
   */
  private void localMailbox(MailAddress original, String user, Trace trace, List<Resolved> out) {
    String hub = routing.mailHub();
    if (hub == null) {
      deliver(original, new MailAddress(user, hostname), Destination.local(), trace, out);
      return;
    }
    boolean bracketed = hub.startsWith("[");
    String host = bracketed ? hub.substring(1, hub.length() - 1) : hub;
    trace.note("MAIL_HUB " + hub + ": local user " + user + " goes to the hub");
    deliver(original, new MailAddress(user, hub), new Destination("relay", host, routing.port("relay"), !bracketed),
        trace, out);
  }

  private void deliver(MailAddress original, MailAddress recipient, Destination d, Trace trace, List<Resolved> out) {
    String user = d.isLocal() ? recipient.localPart() : recipient.toString();
    trace.note("deliver: mailer " + d.mailer() + (d.host() == null ? "" : ", host " + (d.mxLookup() ? d.host() : "[" + d.host() + "]") + ":" + d.port()) + ", user " + user);
    out.add(new Resolved.Deliver(original, recipient, d, user));
  }
}
