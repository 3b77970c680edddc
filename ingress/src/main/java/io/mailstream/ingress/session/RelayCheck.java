package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessAction;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.AccessMatch;
import io.mailstream.core.rules.RelayDomains;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.rules.Trace;
import java.net.Inet4Address;
import java.util.Optional;

/**
 * The relaying half of sendmail's check_rcpt (proto.m4 Rcpt_ok, then Relay_ok): a recipient is
 * accepted when it really goes to this host (class w), to a domain in class R, or to a domain the
 * access database lists as {@code To:domain RELAY}; otherwise only when the client may relay: it
 * is in {@code relay-from}, its address is in class R, or access lists it as {@code Connect:}
 * RELAY (by address, or by its host name when it has one). Anything else is "550 5.7.1 Relaying
 * denied". cf/README: "Relaying (transmission of messages from a site outside your host (class
 * {w}) to another site except yours) is denied by default."
 *
 * <p>Where a recipient really goes follows sendmail's address parsing, not the last {@code @}:
 * {@code user%other@here}, {@code "user@other"@here} and {@code other!user@here} go on to {@code
 * other} when {@code here} is local or relayed for (cf/README: "If source routing is used in the
 * recipient address (e.g., RCPT TO:&lt;user%site.com@othersite.com&gt;), sendmail will check
 * user@site.com for relaying if othersite.com is an allowed relay host"). A source route {@code
 * @here:user@other} is already gone: the parser keeps only {@code user@other}.
 */
final class RelayCheck {
  // sendmail's MaxAliasRecursion bounds its own rewriting; ten hops is more than any real address.
  private static final int MAX_HOPS = 10;
  private static final MailAddress UNROUTABLE = new MailAddress("(unroutable)", "(unroutable)");

  private final MailstreamConfig config;
  private final RuleSet rules;
  private final AccessDb access;
  private final RelayDomains relayDomains;
  private final boolean hostsOnly;

  /**
   * @param rules class w; null for the configuration's {@code local-domains}
   * @param relayDomains class R
   */
  RelayCheck(MailstreamConfig config, RuleSet rules, AccessDb access, RelayDomains relayDomains) {
    this.config = config;
    this.rules = rules;
    this.access = access;
    this.relayDomains = relayDomains;
    this.hostsOnly = config.routing().relayHostsOnly();
  }

  Verdict check(MailAddress rcpt, Peer peer, String authUser, Trace trace) {
    Optional<MailAddress> dest = destination(rcpt, trace);
    String toUs = dest.map(d -> toUs(d, trace)).orElse(null);
    if (toUs != null) {
      return Verdict.accept(toUs);
    }
    // proto.m4 Rcpt_ok: a client that authenticated may relay ($&{auth_type} is set and trusted).
    if (authUser != null) {
      return Verdict.accept("authenticated as " + authUser);
    }
    String client = fromClient(peer, trace);
    if (client != null) {
      return Verdict.accept(client);
    }
    String where = dest.map(d -> "goes to " + d.domain()).orElse("has no clear destination");
    return Verdict.refuse(Replies.relayDenied(), "recipient " + where + ", client may not relay");
  }

  // Rcpt_ok: "anything terminating locally is ok", then class R, then To: RELAY in access.
  private String toUs(MailAddress a, Trace trace) {
    if (a.domain() == null) {
      return "local user"; // RFC 5321 4.5.1 <Postmaster>; proto.m4 "local user is ok"
    }
    if (isLocal(a.domain())) {
      return "class w: " + a.domainKey();
    }
    if (relayDomains.contains(a.domainKey(), trace)) {
      return "class R: " + a.domainKey();
    }
    return relayEntry(access.domain(AccessDb.Tag.TO, a.domainKey(), hostsOnly, trace));
  }

  // Relay_ok: relay-from (which stands for sendmail's built-in 127.0.0.1), class R and Connect:
  // RELAY by address, then the host name when the client has one. That name is only ever a
  // forward-confirmed PTR name (Peer.hostname): a name Mailstream gave the client itself, like
  // localhost for a loopback address, is in class w on most hosts and would open the relay.
  private String fromClient(Peer peer, Trace trace) {
    if (peer.isLocalSubmission()) {
      // sendmail -bm is not an SMTP client: check_rcpt never runs for it. Local users' mail
      // (cron's, root's) must not depend on relay-from.
      return "local submission by " + peer.localUser();
    }
    if (config.mayRelay(peer.address())) {
      return "relay-from: " + peer.ip();
    }
    String spelling = peer.address() instanceof Inet4Address ? peer.ip() : "IPv6:" + peer.ip();
    if (relayDomains.containsClientAddress(spelling)) {
      trace.note("class R lists the client address " + spelling);
      return "class R: " + spelling;
    }
    String byAddress = relayEntry(access.clientAddress(peer.address(), trace));
    if (byAddress != null || peer.hostname() == null) {
      return byAddress;
    }
    String name = peer.hostname();
    if (isLocal(name)) {
      return "class w: client " + name;
    }
    if (relayDomains.contains(name, trace)) {
      return "class R: client " + name;
    }
    return relayEntry(access.domain(AccessDb.Tag.CONNECT, name, hostsOnly, trace));
  }

  private static String relayEntry(Optional<AccessMatch> m) {
    return m.filter(x -> x.action().kind() == AccessAction.Kind.RELAY).map(AccessMatch::describe).orElse(null);
  }

  /**
   * Where {@code rcpt} really goes: its routing operators are followed for as long as the domain
   * they hang off is ours to relay for. Empty when the address cannot be followed.
   */
  private Optional<MailAddress> destination(MailAddress rcpt, Trace trace) {
    MailAddress a = rcpt;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      MailAddress next = a.domain() == null ? null : nextHop(a.unquotedLocalPart());
      if (next == null || !authorized(a.domainKey())) {
        return Optional.of(a);
      }
      if (next == UNROUTABLE) {
        trace.note(a + ": cannot tell where '" + a.localPart() + "' goes");
        return Optional.empty();
      }
      trace.note(a + " goes on to " + next);
      a = next;
    }
    trace.note(rcpt + ": more than " + MAX_HOPS + " routing hops");
    return Optional.empty();
  }

  /** Class w: with tables, local-host-names and the configured names; else local-domains. */
  private boolean isLocal(String domain) {
    return rules == null ? config.isLocalDomain(domain) : rules.isLocal(domain);
  }

  private boolean authorized(String domain) {
    Trace ignored = new Trace();
    return isLocal(domain)
        || relayDomains.contains(domain)
        || relayEntry(access.domain(AccessDb.Tag.TO, domain, hostsOnly, ignored)) != null;
  }

  /**
   * The next hop named in a local part, by sendmail's operators: an {@code @} left in a quoted
   * local part (the last one, as in any address), else {@code host!user} (UUCP, the first host),
   * else {@code user%host} (the last {@code %}); null when there is none.
   */
  static MailAddress nextHop(String local) {
    int at = local.lastIndexOf('@');
    if (at >= 0) {
      return hop(local.substring(0, at), local.substring(at + 1));
    }
    int bang = local.indexOf('!');
    if (bang >= 0) {
      return hop(local.substring(bang + 1), local.substring(0, bang));
    }
    int percent = local.lastIndexOf('%');
    return percent < 0 ? null : hop(local.substring(0, percent), local.substring(percent + 1));
  }

  private static MailAddress hop(String user, String host) {
    return user.isEmpty() || host.isEmpty() ? UNROUTABLE : new MailAddress(user, host);
  }
}
