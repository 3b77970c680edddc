package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.rules.Resolved;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.rules.Trace;
import java.util.List;

/**
 * sendmail's RCPT checks: first the relay decision ({@link RelayCheck}), then, with tables
 * configured, the address the way the router will route it, so that a recipient the rules can
 * only refuse is refused now rather than bounced later. sendmail does the same by running ruleset
 * 0 on every RCPT: a virtusertable {@code error:nouser} entry is the RCPT reply.
 *
 * <p>Only when every destination of the recipient fails permanently is it refused, with the first
 * reply as the tables give it; an alias list with one bad member is accepted and the router
 * bounces that member. A temporary failure (an unreadable {@code :include:} file, a 4xx {@code
 * error:} entry) is accepted: the router defers the recipient and routes it again from the queue
 * (RerouteEndToEndTest), so nothing is lost and the client is not made to retry what this relay
 * already holds.
 */
final class RcptPolicy {
  private final RelayCheck relay;
  private final RuleSet rules;

  RcptPolicy(RelayCheck relay, RuleSet rules) {
    this.relay = relay;
    this.rules = rules;
  }

  Verdict check(MailAddress rcpt, Peer peer, String authUser) {
    Verdict v = relay.check(rcpt, peer, authUser, new Trace());
    if (v.refused() || rules == null) {
      return v;
    }
    Trace trace = new Trace();
    List<Resolved> all;
    try {
      all = rules.resolve(rcpt, trace);
    } catch (RuntimeException e) {
      return Verdict.refuse(Replies.temporaryFailure(), "rules failed: " + e);
    }
    boolean refused = !all.isEmpty()
        && all.stream().allMatch(r -> r instanceof Resolved.Fail f && !f.reply().isTemporary());
    if (!refused) {
      return v;
    }
    return Verdict.refuse(((Resolved.Fail) all.get(0)).reply().toReply(), String.join(" | ", trace.steps()));
  }
}
