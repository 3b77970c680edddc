package io.mailstream.core.rules.rewrite;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.rules.DomainTable;
import io.mailstream.core.rules.Trace;
import java.util.Objects;
import java.util.Optional;

/**
 * sendmail's address rewriting on the way out: qualification, FEATURE(genericstable) and
 * masquerading, as the rulesets of proto.m4 and mailer/{smtp,local}.m4 apply them per
 * {@link Position}. Pure and immutable; every decision goes to the trace.
 *
 * <p>For the SMTP mailers:
 *
 * <ul>
 *   <li>header senders go through ruleset MasqHdr (genericstable, then masquerading);
 *   <li>envelope senders only with masquerade_envelope ("Normally only header addresses are
 *       masqueraded");
 *   <li>header recipients only with allmasquerade;
 *   <li>envelope recipients never, not even with both features (R=EnvToSMTP);
 *   <li>an unqualified address is always qualified: with the masquerade name where masquerading
 *       applies, else with {@code $j}.
 * </ul>
 *
 * <p>MasqHdr itself: genericstable first (a qualified result is final, an unqualified one is
 * qualified below); then a domain in class N or under it is left alone; then, when MASQUERADE_AS is
 * set, an EXPOSED_USER keeps its host (unqualified ones get {@code $j}); a domain in class M (with
 * masquerade_entire_domain also its subdomains) or in class w (unless limited_masquerade) becomes
 * the masquerade name. Before all that, as ruleset 3 does for every address in every position: a
 * trailing dot goes ({@code u@host.example.} is sent as {@code u@host.example}), FEATURE(domaintable)
 * renames the domain (looked up without case), and {@code localhost} and an address literal in
 * class w become {@code $j}.
 *
 * <p>The local mailer's envelope recipient is the bare user, whatever domain the address had
 * (mailer/local.m4's R=EnvToL strips it).
 */
public final class Masquerader {
  private final MasqueradeSettings settings;
  private final GenericsTable generics;
  private final DomainTable domaintable;

  public Masquerader(MasqueradeSettings settings) {
    this(settings, GenericsTable.none());
  }

  public Masquerader(MasqueradeSettings settings, GenericsTable generics) {
    this(settings, generics, DomainTable.empty());
  }

  public Masquerader(MasqueradeSettings settings, GenericsTable generics, DomainTable domaintable) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.generics = Objects.requireNonNull(generics, "generics");
    this.domaintable = Objects.requireNonNull(domaintable, "domaintable");
  }

  public MasqueradeSettings settings() {
    return settings;
  }

  /** Rewrites {@code address} for an SMTP mailer (smtp, esmtp, relay, ...). */
  public MailAddress rewrite(MailAddress address, Position position, Trace trace) {
    return rewrite(address, position, Mailer.SMTP, trace);
  }

  /**
   * Rewrites {@code address} at {@code position} for {@code mailer}; returns {@code address}
   * itself when nothing changes, so that callers can skip the edit.
   */
  public MailAddress rewrite(MailAddress address, Position position, Mailer mailer, Trace trace) {
    String tag = "rewrite " + position.flags() + " " + address.bracketed() + ": ";
    if (address.isNullSender()) {
      trace.note(tag + "the null sender is never rewritten");
      return address;
    }
    MailAddress a = canonify(address, tag, trace);
    if (a.domain() == null && mailer == Mailer.LOCAL) {
      Optional<MailAddress> added = addDomain(a, position, tag, trace);
      if (added.isEmpty() || settings.alwaysAddDomainName() != null) {
        return same(address, added.orElse(a));
      }
    } else if (mailer == Mailer.LOCAL && position == Position.ENVELOPE_RECIPIENT) {
      trace.note(tag + "local mailer: the envelope recipient is the user name alone");
      return same(address, new MailAddress(a.localPart(), null));
    }
    boolean masq = switch (position) {
      case HEADER_SENDER -> true;
      case ENVELOPE_SENDER -> settings.masqueradeEnvelope();
      case HEADER_RECIPIENT -> settings.allMasquerade();
      case ENVELOPE_RECIPIENT -> false;
    };
    if (!masq) {
      trace.note(tag + why(position));
    }
    return same(address, masq ? masqHdr(a, tag, trace) : qualify(a, tag, trace));
  }

  private String why(Position p) {
    return switch (p) {
      case ENVELOPE_SENDER -> "envelope sender not masqueraded (no masquerade_envelope)";
      case HEADER_RECIPIENT -> "header recipient not masqueraded (no allmasquerade)";
      default -> "envelope recipients are never masqueraded";
    };
  }

  /**
   * mailer/local.m4 ruleset AddDomain: an unqualified address gets a domain only with
   * always_add_domain. Empty when it stays unqualified.
   */
  private Optional<MailAddress> addDomain(MailAddress a, Position position, String tag, Trace trace) {
    if (position == Position.ENVELOPE_RECIPIENT) {
      trace.note(tag + "local mailer: the envelope recipient is a user name, not rewritten");
      return Optional.empty();
    }
    if (!settings.alwaysAddDomain()) {
      trace.note(tag + "local mailer: unqualified address stays unqualified (no always_add_domain)");
      return Optional.empty();
    }
    String name = settings.alwaysAddDomainName();
    if (name != null) {
      // The added name is not canonical (no trailing dot in sendmail's workspace), so no later
      // rule matches it: neither genericstable nor masquerading touches it.
      trace.note(tag + "always_add_domain: qualified with " + name);
      return Optional.of(new MailAddress(a.localPart(), name));
    }
    trace.note(tag + "always_add_domain: qualified as a local address");
    return Optional.of(a);
  }

  /**
   * Ruleset 3 (Canonify2): without the trailing dot, renamed by the domaintable; localhost and our
   * own address literals are this host.
   */
  private MailAddress canonify(MailAddress a, String tag, Trace trace) {
    if (a.domain() == null) {
      return a;
    }
    String domain = a.domain();
    if (domain.length() > 1 && domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
      trace.note(tag + "trailing dot dropped: " + domain);
    }
    if (!a.hasAddressLiteral()) {
      Optional<String> renamed = domaintable.rewrite(domain, trace);
      if (renamed.isPresent()) {
        domain = renamed.get();
      }
    }
    if (!domain.equals(a.domain())) {
      a = new MailAddress(a.localPart(), domain);
    }
    String key = DomainClass.key(a.domain());
    if (key.equals("localhost")) {
      trace.note(tag + "localhost is " + settings.hostName() + " ($j)");
      return new MailAddress(a.localPart(), settings.hostName());
    }
    if (a.hasAddressLiteral()) {
      Optional<String> self = settings.localHostNames().match(key, false);
      if (self.isPresent()) {
        trace.note(tag + "self-literal " + a.domain() + " in " + self.get() + " is " + settings.hostName() + " ($j)");
        return new MailAddress(a.localPart(), settings.hostName());
      }
    }
    return a;
  }

  /** Ruleset MasqHdr. A null domain here is sendmail's {@code *LOCAL*}. */
  private MailAddress masqHdr(MailAddress a, String tag, Trace trace) {
    Optional<MailAddress> generic = generics.lookup(a, settings.hostName(), trace);
    if (generic.isPresent()) {
      MailAddress g = generic.get();
      if (g.domain() != null) {
        trace.note(tag + "genericstable gave a qualified address; no masquerading");
        return canonify(g, tag, trace);
      }
      a = g;
    }
    if (a.domain() != null) {
      Optional<String> exception = settings.exceptions().match(a.domain(), true);
      if (exception.isPresent()) {
        trace.note(tag + "MASQUERADE_EXCEPTION " + exception.get() + ": not masqueraded");
        return a;
      }
    }
    String as = settings.masqueradeAs();
    if (as == null) {
      trace.note(tag + "no MASQUERADE_AS");
      return qualify(a, tag, trace);
    }
    boolean exposed = settings.isExposed(a.localPart());
    if (a.domain() == null) {
      if (exposed) {
        trace.note(tag + "EXPOSED_USER " + a.localPart() + ": qualified with " + settings.hostName() + " ($j)");
        return new MailAddress(a.localPart(), settings.hostName());
      }
      trace.note(tag + "unqualified: masqueraded as " + as);
      return new MailAddress(a.localPart(), as);
    }
    Optional<String> member = settings.masqueradeDomains().match(a.domain(), settings.masqueradeEntireDomain());
    if (member.isEmpty() && !settings.limitedMasquerade()) {
      member = settings.localHostNames().match(a.domain(), false);
    }
    if (member.isEmpty()) {
      trace.note(tag + a.domain() + " is in neither class {M}"
          + (settings.limitedMasquerade() ? "" : " nor class {w}") + "; not masqueraded");
      return a;
    }
    if (exposed) {
      trace.note(tag + "EXPOSED_USER " + a.localPart() + ": keeps " + a.domain());
      return a;
    }
    trace.note(tag + member.get() + ": masqueraded as " + as);
    return new MailAddress(a.localPart(), as);
  }

  /** What every SMTP mailer does at least: an unqualified ({@code *LOCAL*}) address gets $j. */
  private MailAddress qualify(MailAddress a, String tag, Trace trace) {
    if (a.domain() != null) {
      return a;
    }
    trace.note(tag + "unqualified: qualified with " + settings.hostName() + " ($j)");
    return new MailAddress(a.localPart(), settings.hostName());
  }

  private static MailAddress same(MailAddress original, MailAddress result) {
    return original.equals(result) ? original : result;
  }
}
