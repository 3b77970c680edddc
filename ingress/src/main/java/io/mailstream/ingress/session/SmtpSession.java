package io.mailstream.ingress.session;

import io.mailstream.core.config.Limits;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.Submission;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The SMTP server state machine of one connection (RFC 5321), free of I/O: the server feeds it
 * commands and what it learned about a body, and sends the replies it returns.
 *
 * <p>Each verb is checked first (sequence, syntax, policy) and only then carried out, so a refused
 * command never changes the state. Replies carry RFC 3463 enhanced status codes only after EHLO
 * (RFC 2034 3).
 *
 * <p>The {@link Policy} stands for sendmail's check rulesets: check_relay when the client connects
 * (see {@link ConnectGate} for what a refused client may still do), check_mail at MAIL and
 * check_rcpt at RCPT.
 */
public final class SmtpSession {
  /** Where the session is in the conversation. */
  public enum Phase {
    /** Before HELO or EHLO. */
    CONNECTED,
    /** Greeted, no transaction. */
    READY,
    /** MAIL accepted, collecting recipients. */
    MAIL,
    /** After 354: the server is receiving the body. */
    DATA,
    /** The body is complete and is being committed to the queue. */
    COMMIT,
    /** QUIT or a time-out: nothing more to say. */
    CLOSED
  }

  private final MailstreamConfig config;
  private final Policy policy;
  private final ConnectGate gate;
  private final Limits limits;
  private final Peer peer;
  private final Supplier<String> queueIds;
  private final Clock clock;
  private Phase phase = Phase.CONNECTED;
  private String helo;
  private boolean esmtp;
  private Transaction tx;
  private String reason;

  /** A session without tables: only {@code relay-from} and {@code local-domains} count. */
  public SmtpSession(MailstreamConfig config, Peer peer, Supplier<String> queueIds, Clock clock) {
    this(config, Policy.none(config), peer, queueIds, clock);
  }

  /**
   * A session for a client that just connected; the client is checked now (check_relay).
   *
   * @param config the node's configuration: hostname, domains, relay networks and limits
   * @param policy the access database and tables the client, sender and recipients are checked
   *     against
   * @param peer the client
   * @param queueIds where queue ids come from (normally {@code QueueId::next})
   * @param clock the clock for the Received header and acceptance time
   */
  public SmtpSession(MailstreamConfig config, Policy policy, Peer peer, Supplier<String> queueIds, Clock clock) {
    this.config = config;
    this.policy = policy;
    this.limits = config.limits();
    this.peer = peer;
    this.queueIds = queueIds;
    this.clock = clock;
    this.gate = new ConnectGate(policy.connect(peer));
  }

  /**
   * The 220 banner (RFC 5321 4.3.1); a 421 that closes when the access database answers 421 for
   * this client (srvrsmtp.c says such a refusal at once and quits).
   */
  public Reply greeting() {
    Reply instead = gate.instead();
    if (instead != null) {
      phase = Phase.CLOSED;
      reason = gate.reason();
      return present(instead);
    }
    return Replies.banner(config.hostname());
  }

  /** Handles one command line; not to be called while receiving or committing a body. */
  public Reply on(Command c) {
    if (phase == Phase.DATA || phase == Phase.COMMIT || phase == Phase.CLOSED) {
      throw new IllegalStateException("command " + c.word() + " in phase " + phase);
    }
    reason = null;
    Reply refusal = gate.refusal(c.verb(), config.hostname());
    if (refusal != null) {
      reason = gate.reason();
      if (refusal.closesConnection()) {
        phase = Phase.CLOSED;
      }
      return present(refusal);
    }
    Reply reply =
        switch (c.verb()) {
          case HELO -> checkHelo(c).then(h -> proceedHelo(h, false));
          case EHLO -> checkHelo(c).then(h -> proceedHelo(h, true));
          case MAIL -> checkMail(c).then(this::proceedMail);
          case RCPT -> checkRcpt(c).then(this::proceedRcpt);
          case DATA -> checkData(c).then(v -> proceedData());
          case RSET -> c.hasArgument() ? Replies.syntax("RSET") : rset();
          case NOOP -> Replies.ok();
          case QUIT -> quit();
          case VRFY -> c.hasArgument() ? Replies.cannotVrfy() : Replies.syntax("VRFY address");
          case HELP -> Replies.help();
          case NOT_IMPLEMENTED -> Replies.notImplemented();
          case UNKNOWN -> Replies.unrecognized();
          case INVALID -> Replies.badCommandLine();
        };
    return present(reply);
  }

  /**
   * Why the last reply refused a command or the last message was discarded: the access entry or
   * the rules that decided; null when nothing in particular did.
   */
  public String reason() {
    return reason;
  }

  /** Whether the body of the current transaction is to be thrown away (access DISCARD). */
  public boolean discarding() {
    return tx != null && tx.discard != null;
  }

  /** The reply to a command line longer than the server reads (RFC 5321 4.5.3.1.4). */
  public Reply lineTooLong() {
    return present(Replies.lineTooLong());
  }

  /** The reply when the client stayed silent too long (RFC 5321 4.5.3.2.7); it closes. */
  public Reply timedOut() {
    phase = Phase.CLOSED;
    return present(Replies.timeout(config.hostname()));
  }

  // HELO and EHLO: RFC 5321 4.1.1.1; a repeated greeting also resets the transaction (4.1.4).

  private Checked<String> checkHelo(Command c) {
    if (!c.hasArgument()) {
      return Checked.refuse(Replies.heloSyntax(c.verb().name()));
    }
    String name = c.argument();
    int space = name.indexOf(' ');
    return Checked.ok(space < 0 ? name : name.substring(0, space));
  }

  private Reply proceedHelo(String name, boolean extended) {
    helo = name;
    esmtp = extended;
    tx = null;
    phase = Phase.READY;
    return extended
        ? Replies.ehlo(config.hostname(), name, limits.maxMessageSize())
        : Replies.helo(config.hostname());
  }

  // MAIL: RFC 5321 4.1.1.2 and 3.3.

  private Checked<Transaction> checkMail(Command c) {
    if (phase == Phase.CONNECTED) {
      return Checked.refuse(Replies.needHelo());
    }
    if (tx != null) {
      return Checked.refuse(Replies.nestedMail());
    }
    Checked<MailRequest> m = MailRequest.check(c.argument(), limits);
    if (m.refused()) {
      return Checked.refuse(m.refusal());
    }
    Verdict v = policy.mail(m.value().sender());
    if (v.refused()) {
      reason = v.reason();
      return Checked.refuse(v.reply());
    }
    // A DISCARD at connect holds for every message of the session (srvrsmtp.c sm_discard).
    String dropped = gate.discard() != null ? gate.discard() : v.discards() ? v.reason() : null;
    return Checked.ok(new Transaction(m.value().sender(), m.value().bodyType(), dropped));
  }

  private Reply proceedMail(Transaction t) {
    tx = t;
    phase = Phase.MAIL;
    return Replies.senderOk();
  }

  // RCPT: RFC 5321 4.1.1.3.

  private Checked<EnvelopeRecipient> checkRcpt(Command c) {
    if (tx == null) {
      return Checked.refuse(Replies.needMail());
    }
    Checked<EnvelopeRecipient> parsed = RcptRequest.check(c.argument());
    if (parsed.refused()) {
      return parsed;
    }
    // RFC 5321 4.5.1: <Postmaster> without a domain is ours and always accepted; the policy
    // says so.
    Verdict v = policy.rcpt(parsed.value().address(), peer);
    if (v.refused()) {
      reason = v.reason();
      return Checked.refuse(v.reply());
    }
    // RFC 5321 4.5.3.1.8: at least 100 recipients must be accepted; ConfigBuilder enforces that.
    if (tx.recipients.size() >= limits.maxRecipients()) {
      return Checked.refuse(Replies.tooManyRecipients());
    }
    return parsed;
  }

  private Reply proceedRcpt(EnvelopeRecipient r) {
    tx.recipients.add(r);
    return Replies.recipientOk();
  }

  // DATA: RFC 5321 4.1.1.4.

  private Checked<Void> checkData(Command c) {
    if (tx == null) {
      return Checked.refuse(Replies.needMail());
    }
    if (tx.recipients.isEmpty()) {
      return Checked.refuse(Replies.noValidRecipients());
    }
    if (c.hasArgument()) {
      return Checked.refuse(Replies.dataSyntax());
    }
    return Checked.ok(null);
  }

  private Reply proceedData() {
    tx.queueId = queueIds.get();
    phase = Phase.DATA;
    return Replies.startData();
  }

  /**
   * The body ended ({@code <CRLF>.<CRLF>}): refuse it, or hand over what the queue needs.
   * RFC 1870 6.2 (size) and RFC 5321 6.3 (mail loops) are checked here, once the whole message
   * has been read, because refusing earlier would desynchronise the client.
   */
  public DataResult endOfData(BodySummary body) {
    requirePhase(Phase.DATA);
    if (body.size() > limits.maxMessageSize()) {
      return reject(Replies.messageTooBig());
    }
    if (body.hops() > limits.maxHops()) {
      return reject(Replies.tooManyHops());
    }
    if (body.badLineEnd() != null) {
      return reject(Replies.badLineEnd(body.badLineEnd()));
    }
    if (tx.discard != null) {
      DataResult.Discarded d = new DataResult.Discarded(
          present(Replies.messageAccepted(tx.queueId)), tx.queueId, tx.sender, tx.recipients.size(), tx.discard);
      endTransaction();
      return d;
    }
    phase = Phase.COMMIT;
    long now = clock.millis();
    String received =
        ReceivedHeader.build(
            helo, peer, config.hostname(), protocol(), tx.queueId, tx.recipients,
            clock.instant().atZone(clock.getZone()));
    DsnRequest dsn = new DsnRequest(null, null, tx.bodyType, false);
    return new DataResult.Ready(
        new Submission(
            tx.queueId, now, tx.sender, tx.recipients, client(), body.messageId(), received, dsn));
  }

  /** The queue acknowledged the message: 250 with its queue id. */
  public Reply committed(MessageAccepted event) {
    requirePhase(Phase.COMMIT);
    endTransaction();
    return present(Replies.messageAccepted(event.queueId()));
  }

  /** The queue failed or did not answer in time: the client should try again later. */
  public Reply notCommitted() {
    requirePhase(Phase.COMMIT);
    endTransaction();
    return present(Replies.queueUnavailable());
  }

  /** The client went away during DATA or while its message was being committed. */
  public void disconnected() {
    tx = null;
    phase = Phase.CLOSED;
  }

  private DataResult reject(Reply reply) {
    endTransaction();
    return new DataResult.Rejected(present(reply));
  }

  private Reply rset() {
    tx = null;
    if (phase == Phase.MAIL) {
      phase = Phase.READY;
    }
    return Replies.ok();
  }

  private Reply quit() {
    phase = Phase.CLOSED;
    return Replies.bye();
  }

  private void endTransaction() {
    tx = null;
    phase = Phase.READY;
  }

  private Reply present(Reply reply) {
    return esmtp ? reply : reply.withoutStatus();
  }

  private void requirePhase(Phase expected) {
    if (phase != expected) {
      throw new IllegalStateException("expected phase " + expected + " but in " + phase);
    }
  }

  /** The RFC 3848 WITH keyword for this session. */
  public String protocol() {
    return esmtp ? "ESMTP" : "SMTP";
  }

  /** Who is sending, for events and logs. */
  public ClientInfo client() {
    return new ClientInfo(helo, peer.ip(), peer.hostname(), protocol(), null);
  }

  public Phase phase() {
    return phase;
  }

  /** The queue id of the message being received or committed, or null. */
  public String queueId() {
    return tx == null ? null : tx.queueId;
  }

  public Peer peer() {
    return peer;
  }
}
