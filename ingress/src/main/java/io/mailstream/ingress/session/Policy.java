package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.AccessMatch;
import io.mailstream.core.rules.RelayDomains;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.rules.Trace;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * What the ingress checks, in sendmail's order without FEATURE(delay_checks): the client when it
 * connects (check_relay: {@code Connect:} entries), the sender at MAIL (check_mail: {@code From:}
 * entries), each recipient at RCPT (check_rcpt: relaying, then the routing tables). Immutable, and
 * shared by every session of a server.
 *
 * <p>Without tables, only {@code relay-from} and {@code local-domains} count, as before the access
 * database existed.
 */
public final class Policy {
  private final AccessDb access;
  private final RcptPolicy rcpt;

  private Policy(MailstreamConfig config, RuleSet rules, AccessDb access) {
    this.access = access == null ? AccessDb.empty() : access;
    RelayDomains relayDomains = rules == null ? RelayDomains.empty() : rules.relayDomains();
    RelayCheck relay = new RelayCheck(config, rules, this.access, relayDomains);
    this.rcpt = new RcptPolicy(relay, rules);
  }

  /**
   * The checks for {@code config} with these tables.
   *
   * @param rules class w and R and the routing tables; null for {@code local-domains} only
   * @param access the access database; null for none
   */
  public static Policy of(MailstreamConfig config, RuleSet rules, AccessDb access) {
    return new Policy(config, rules, access);
  }

  /** Only {@code relay-from} and {@code local-domains}. */
  public static Policy none(MailstreamConfig config) {
    return new Policy(config, null, null);
  }

  /** check_relay: the client's host name, then its address, against {@code Connect:}. */
  Verdict connect(Peer peer) {
    if (peer.isLocalSubmission()) {
      return Verdict.ACCEPTED; // check_relay is for network clients; a local user has no address
    }
    return decide(access.connect(peer.hostname(), peer.address(), new Trace()));
  }

  /** FEATURE(greet_pause): a {@code GreetPause:} entry's pause for this client, if one names it. */
  Optional<Duration> greetPause(Peer peer) {
    if (peer.isLocalSubmission()) {
      return Optional.empty();
    }
    return access.greetPause(peer.hostname(), peer.address(), new Trace());
  }

  /**
   * FEATURE(ratecontrol) or FEATURE(conncontrol): the client's {@code ClientRate:} or {@code
   * ClientConn:} entry, or the tag-only one for every client, else {@code configured} (the smtp
   * setting). 0 is no limit.
   */
  public int connectionLimit(AccessDb.Limit limit, InetAddress address, int configured) {
    return access.clientLimit(limit, address, new Trace()).map(AccessDb.ClientLimit::limit).orElse(configured);
  }

  /** check_mail: the sender against {@code From:}; "we MUST accept &lt;&gt; (RFC 1123)". */
  Verdict mail(MailAddress sender) {
    return sender.isNullSender() ? Verdict.ACCEPTED : decide(access.sender(sender, new Trace()));
  }

  /** check_rcpt: may this client send to this recipient, and can it be delivered at all. */
  Verdict rcpt(MailAddress recipient, Peer peer) {
    return rcpt(recipient, peer, null);
  }

  /**
   * check_rcpt for a client that may have authenticated: an authenticated user may relay
   * (sendmail's TRUST_AUTH_MECH), but local recipients are still checked against the tables.
   *
   * @param authUser the authenticated user, or null
   */
  Verdict rcpt(MailAddress recipient, Peer peer, String authUser) {
    return rcpt.check(recipient, peer, authUser);
  }

  // proto.m4 Basic_check_relay and Basic_check_mail: {Accept} (OK, RELAY) ends the check,
  // REJECT is "550 5.7.1 Access denied", DISCARD is $#discard, ERROR: its own reply.
  private static Verdict decide(Optional<AccessMatch> found) {
    if (found.isEmpty()) {
      return Verdict.ACCEPTED;
    }
    AccessMatch m = found.get();
    return switch (m.action().kind()) {
      case OK, RELAY, SKIP -> Verdict.accept(m.describe());
      case REJECT -> Verdict.refuse(Replies.accessDenied(), m.describe());
      case DISCARD -> Verdict.discard(m.describe());
      case ERROR -> Verdict.refuse(m.action().error().toReply(), m.describe());
    };
  }
}
