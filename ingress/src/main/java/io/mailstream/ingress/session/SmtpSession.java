package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.Limits;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.Submission;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  private ConnectGate gate;
  private final SessionControls controls;
  private final Limits limits;
  private final Peer peer;
  private final Supplier<String> queueIds;
  private final Clock clock;
  private final StageHealth stages;
  private final StorageSpace storage;
  // Wrong passwords allowed in one session before it is closed.
  static final int MAX_AUTH_FAILURES = 3;
  // Unknown, broken or overlong command lines allowed in one session before it is closed.
  static final int MAX_BAD_COMMANDS = 25;

  private final ConnectionSecurity security;
  private Phase phase = Phase.CONNECTED;
  private String helo;
  private TlsInfo tls;
  private boolean tlsRequested;
  private String authUser;
  private int authFailures;
  private int badCommands;
  private SaslExchange sasl;
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
    this(config, policy, ConnectionSecurity.NONE, peer, queueIds, clock);
  }

  /**
   * A session on a listener that may offer TLS and AUTH, or require AUTH (a submission port).
   *
   * @param security what the listener offers and requires
   */
  public SmtpSession(
      MailstreamConfig config,
      Policy policy,
      ConnectionSecurity security,
      Peer peer,
      Supplier<String> queueIds,
      Clock clock) {
    this(config, policy, security, peer, queueIds, clock, StageHealth.NO_STAGES);
  }

  /**
   * A session whose MAIL is refused with {@code 451 4.3.0} while a stage of this process is down.
   *
   * @param stages the router and delivery stages running beside this ingress
   */
  public SmtpSession(
      MailstreamConfig config,
      Policy policy,
      ConnectionSecurity security,
      Peer peer,
      Supplier<String> queueIds,
      Clock clock,
      StageHealth stages) {
    this(config, policy, security, peer, queueIds, clock, stages, StorageSpace.UNLIMITED);
  }

  /**
   * A session that also refuses mail with {@code 452 4.3.1} while the node has no room for it.
   *
   * @param storage free space on the data directory against {@code smtp.min-free-space}
   */
  public SmtpSession(
      MailstreamConfig config,
      Policy policy,
      ConnectionSecurity security,
      Peer peer,
      Supplier<String> queueIds,
      Clock clock,
      StageHealth stages,
      StorageSpace storage) {
    this.stages = stages;
    this.storage = storage;
    this.config = config;
    this.security = security;
    this.policy = policy;
    this.limits = config.limits();
    this.peer = peer;
    this.queueIds = queueIds;
    this.clock = clock;
    this.gate = new ConnectGate(policy.connect(peer));
    this.controls = new SessionControls(config.smtp());
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
    return Replies.banner(config.smtp().banner(config.hostname()));
  }

  /** How long the banner waits (FEATURE(greet_pause)); zero for a client refused at connect. */
  public Duration greetPause() {
    return controls.greetPause(gate.refuses(), policy.greetPause(peer));
  }

  /**
   * The client talked before the banner (FEATURE(greet_pause)): srvrsmtp.c greets it with 554 and
   * becomes a null server for it, so that none of its mail is accepted.
   */
  public Reply talkedFirst() {
    gate = new ConnectGate(Verdict.refuse(ControlReplies.commandRejected(), "pre-greeting traffic"));
    return ControlReplies.notAccepting(config.hostname());
  }

  /** The wait before this command is carried out (confBAD_RCPT_THROTTLE); zero for none. */
  public Duration delayBefore(Command c) {
    return c.verb() == Verb.RCPT ? controls.rcptDelay() : Duration.ZERO;
  }

  /** True once per transaction, when RCPT throttling begins, for the log. */
  public boolean rcptFloodBegins() {
    return controls.floodBegins();
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
          case VRFY, EXPN -> controls.privacy.verify(c, phase != Phase.CONNECTED, a -> policy.rcpt(a, peer, authUser));
          case HELP -> Replies.help();
          case STARTTLS -> checkStartTls(c).then(v -> proceedStartTls());
          case AUTH -> throw new IllegalArgumentException("AUTH goes through auth(Command)");
          case VERB -> controls.privacy.verb();
          case ETRN -> controls.privacy.etrn();
          case BDAT -> throw new IllegalArgumentException("BDAT goes through bdat(Command)");
          case NOT_IMPLEMENTED -> Replies.notImplemented();
          case UNKNOWN -> badCommand(Replies.unrecognized());
          case INVALID -> badCommand(Replies.badCommandLine());
        };
    if (c.verb() == Verb.RCPT) {
      controls.rcptAnswered(reply);
    }
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
    return present(badCommand(Replies.lineTooLong()));
  }

  /**
   * sendmail's MAXBADCOMMANDS (srvrsmtp.c; Postfix's smtpd_hard_error_limit is 20): a client that
   * keeps sending what is not SMTP, unknown verbs, broken or overlong lines, is told {@code 421
   * 4.7.0} and cut off after 25 of them instead of being answered for as long as it likes.
   */
  private Reply badCommand(Reply reply) {
    if (++badCommands <= MAX_BAD_COMMANDS) {
      return reply;
    }
    phase = Phase.CLOSED;
    return Replies.tooManyBadCommands(config.hostname());
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
        ? withSecurityKeywords(Replies.ehlo(config.hostname(), name, EhloFeatures.of(limits.maxMessageSize(), extensions())))
        : Replies.helo(config.hostname());
  }

  // RFC 3207 4.2: no STARTTLS once TLS is on; RFC 4954 and RFC 8314: AUTH only where a password
  // would not cross the network in the clear, unless the administrator allows it.
  private Reply withSecurityKeywords(Reply ehlo) {
    List<String> lines = new ArrayList<>(ehlo.lines());
    // Before the last keyword, so that ENHANCEDSTATUSCODES stays last as clients' scripts expect.
    int at = lines.size() - 1;
    if (authOffered()) {
      lines.add(at, "AUTH " + SaslExchange.MECHANISMS);
    }
    if (security.startTls() && tls == null) {
      lines.add(at, "STARTTLS");
    }
    return Reply.multiline(ehlo.code(), ehlo.status(), lines);
  }

  // MAIL: RFC 5321 4.1.1.2 and 3.3.

  private Checked<Transaction> checkMail(Command c) {
    if (phase == Phase.CONNECTED) {
      return Checked.refuse(controls.privacy.mailBeforeHelo());
    }
    if (tx != null) {
      return Checked.refuse(Replies.nestedMail());
    }
    if (security.authRequired() && authUser == null) {
      return Checked.refuse(SecurityReplies.authRequired());
    }
    Checked<MailRequest> m = MailRequest.check(c.argument(), limits, extensions().withAuth(security.auth()));
    if (m.refused()) {
      return Checked.refuse(m.refusal());
    }
    Verdict v = policy.mail(m.value().sender());
    if (v.refused()) {
      reason = v.reason();
      return Checked.refuse(v.reply());
    }
    // Like sendmail's free-space check at MAIL: nothing of the message has been sent yet, and a
    // refusal by the access database above stays the permanent answer it is.
    Optional<String> down = stages.down();
    if (down.isPresent()) {
      reason = down.get();
      return Checked.refuse(Replies.stagesDown());
    }
    // sendmail's enoughdiskspace(SIZE) at MAIL: the declared size must fit above the floor too.
    long declared = m.value().size();
    if (!storage.room(declared)) {
      reason = "low on space (smtp.min-free-space" + (declared > 0 ? ", SIZE=" + declared : "") + ")";
      return Checked.refuse(Replies.insufficientStorage());
    }
    // A DISCARD at connect holds for every message of the session (srvrsmtp.c sm_discard).
    String dropped = gate.discard() != null ? gate.discard() : v.discards() ? v.reason() : null;
    return Checked.ok(new Transaction(m.value(), dropped));
  }

  private Reply proceedMail(Transaction t) {
    tx = t;
    controls.mailAccepted();
    phase = Phase.MAIL;
    return Replies.senderOk();
  }

  // RCPT: RFC 5321 4.1.1.3.

  private Checked<EnvelopeRecipient> checkRcpt(Command c) {
    if (tx == null) {
      return Checked.refuse(Replies.needMail());
    }
    if (tx.chunked) {
      return Checked.refuse(ExtensionReplies.rcptAfterBdat());
    }
    Checked<EnvelopeRecipient> parsed = RcptRequest.check(c.argument(), extensions(), tx.smtputf8);
    if (parsed.refused()) {
      return parsed;
    }
    parsed = qualified(parsed.value());
    // RFC 5321 4.5.1: <Postmaster> without a domain is ours and always accepted; the policy
    // says so.
    Verdict v = policy.rcpt(parsed.value().address(), peer, authUser);
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

  /**
   * A bare local user ({@code RCPT TO:<root>}) is this host's, as sendmail's ruleset 3 makes it:
   * qualified with $j, so that routing, the mail log and the next hop see {@code root@$j}.
   * {@code <Postmaster>} stays as it is (RFC 5321 4.5.1).
   */
  private Checked<EnvelopeRecipient> qualified(EnvelopeRecipient r) {
    MailAddress a = r.address();
    if (a.domain() != null || a.localPart().equalsIgnoreCase("postmaster")) {
      return Checked.ok(r);
    }
    return Checked.ok(new EnvelopeRecipient(new MailAddress(a.localPart(), config.hostname()), r.notifyOn(), r.orcpt()));
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
    if (tx.chunked) {
      return Checked.refuse(ExtensionReplies.dataAfterBdat());
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
    if (body.longestLine() > config.smtp().maxLineLength()) {
      return reject(ExtensionReplies.textLineTooLong(config.smtp().maxLineLength()));
    }
    // The body may have taken the last room since MAIL (no SIZE, or other sessions): only what
    // fits above the floor is committed, so Kafka never meets a full disk.
    if (tx.discard == null && !storage.room(body.size())) {
      reason = "low on space (smtp.min-free-space, message size " + body.size() + ")";
      return reject(Replies.insufficientStorage());
    }
    if (tx.discard != null) {
      DataResult.Discarded d = new DataResult.Discarded(
          present(Replies.messageAccepted(tx.queueId)), tx.queueId, tx.sender, tx.recipients.size(), tx.discard);
      endTransaction();
      return d;
    }
    phase = Phase.COMMIT;
    long now = clock.millis();
    ZonedDateTime when = clock.instant().atZone(clock.getZone());
    // As sendmail, only locally submitted mail gets the Date, From and Message-ID it lacks.
    MissingFields added = peer.isLocalSubmission()
        ? MissingFields.of(body.originator(), tx.sender, peer.localUser(), config.hostname(), tx.queueId, when)
        : MissingFields.NONE;
    String received =
        ReceivedHeader.build(
            helo, peer, config.hostname(), protocol(), tx.queueId, tx.recipients, when, authUser != null, tls)
        + added.fields()
        + AuthWarning.field(config.smtp(), config.hostname(), peer, helo, tx.sender)
        + added.separator();
    DsnRequest dsn = new DsnRequest(tx.ret, tx.envid, tx.bodyType, tx.smtputf8);
    return new DataResult.Ready(
        new Submission(
            tx.queueId, now, tx.sender, tx.recipients, client(), added.messageIdOr(body.messageId()), received, dsn));
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

  /** The RFC 3848 WITH keyword for this session: ESMTP, then S for TLS and A for AUTH. */
  public String protocol() {
    if (!esmtp) {
      return "SMTP";
    }
    // RFC 6531 3.7.3: a message sent with SMTPUTF8 says UTF8SMTP instead of ESMTP.
    String base = tx != null && tx.smtputf8 ? "UTF8SMTP" : "ESMTP";
    return base + (tls != null ? "S" : "") + (authUser != null ? "A" : "");
  }

  /** Who is sending, for events and logs. */
  public ClientInfo client() {
    return new ClientInfo(helo, peer.ip(), peer.hostname(), protocol(), authUser);
  }

  // STARTTLS: RFC 3207.

  private Checked<Void> checkStartTls(Command c) {
    if (tls != null) {
      return Checked.refuse(SecurityReplies.tlsAlreadyActive());
    }
    if (!security.startTls()) {
      return Checked.refuse(Replies.notImplemented());
    }
    if (c.hasArgument()) {
      return Checked.refuse(SecurityReplies.startTlsSyntax());
    }
    if (tx != null) {
      return Checked.refuse(Replies.nestedMail());
    }
    return Checked.ok(null);
  }

  private Reply proceedStartTls() {
    tlsRequested = true;
    return SecurityReplies.readyToStartTls();
  }

  /**
   * Whether the last reply agreed to STARTTLS: the server must start the handshake now and throw
   * away anything the client sent after the command (CVE-2011-0411).
   */
  public boolean startingTls() {
    return tlsRequested;
  }

  /**
   * The handshake succeeded. After STARTTLS (RFC 3207 4.2) the server forgets what the client told
   * it before, so the client must greet again; on an implicit-TLS port nothing was said yet.
   */
  public void tlsStarted(TlsInfo info) {
    tls = info;
    if (tlsRequested) {
      // Nothing said in the clear counts, an AUTH included: a man in the middle could have
      // authenticated as himself before the client's STARTTLS.
      tlsRequested = false;
      helo = null;
      tx = null;
      authUser = null;
      authFailures = 0;
      phase = Phase.CONNECTED;
    }
  }

  /** The TLS session, or null while the connection is in the clear. */
  public TlsInfo tls() {
    return tls;
  }

  // AUTH: RFC 4954.

  /** Whether AUTH is offered now: configured, and after TLS unless the clear is allowed. */
  private boolean authOffered() {
    return security.auth() && authUser == null && (tls != null || security.plaintextAuth());
  }

  /**
   * The AUTH command. Returns a 334 challenge, a refusal, or the client's credentials, which the
   * caller checks and reports with {@link #authChecked}.
   */
  public SaslExchange.Step auth(Command c) {
    reason = null;
    Reply refusal = gate.refusal(c.verb(), config.hostname());
    if (refusal != null) {
      reason = gate.reason();
      if (refusal.closesConnection()) {
        phase = Phase.CLOSED;
      }
      return new SaslExchange.Failed(present(refusal));
    }
    return present(startAuth(c));
  }

  private SaslExchange.Step startAuth(Command c) {
    if (!security.auth()) {
      return new SaslExchange.Failed(SecurityReplies.authNotAvailable());
    }
    if (phase == Phase.CONNECTED) {
      return new SaslExchange.Failed(Replies.needHelo());
    }
    if (authUser != null) {
      return new SaslExchange.Failed(SecurityReplies.alreadyAuthenticated());
    }
    if (tx != null) {
      return new SaslExchange.Failed(SecurityReplies.authDuringTransaction());
    }
    if (tls == null && !security.plaintextAuth()) {
      return new SaslExchange.Failed(SecurityReplies.encryptionRequired());
    }
    String[] words = c.argument().split(" ");
    if (!c.hasArgument() || words.length > 2) {
      return new SaslExchange.Failed(SecurityReplies.authSyntax());
    }
    if (!SaslExchange.offers(words[0])) {
      return new SaslExchange.Failed(SecurityReplies.authUnknownMechanism());
    }
    SaslExchange exchange = SaslExchange.of(words[0]);
    SaslExchange.Step step = exchange.start(words.length == 2 ? words[1] : null);
    sasl = step instanceof SaslExchange.Challenge ? exchange : null;
    return step;
  }

  /** Whether the next line is the client's answer to a 334 challenge, not a command. */
  public boolean authenticating() {
    return sasl != null;
  }

  /** The client's answer to a 334 challenge. */
  public SaslExchange.Step authResponse(String line) {
    if (sasl == null) {
      throw new IllegalStateException("no AUTH exchange in progress");
    }
    SaslExchange.Step step = sasl.respond(line);
    if (!(step instanceof SaslExchange.Challenge)) {
      sasl = null;
    }
    return present(step);
  }

  /** The AUTH response line was longer than RFC 4954 allows: the exchange ends. */
  public Reply authLineTooLong() {
    sasl = null;
    return present(SecurityReplies.authLineTooLong());
  }

  /**
   * The users file said whether the credentials are right. The third wrong password in a session
   * ends it (as Postfix's smtpd_hard_error_limit would, much sooner): guessing must cost a new
   * connection, which the connection limits meter.
   */
  public Reply authChecked(String user, String mechanism, boolean accepted, boolean unavailable) {
    if (accepted) {
      authUser = user;
      return present(SecurityReplies.authSucceeded());
    }
    reason = unavailable ? "users file unavailable" : "authentication failed for " + user + " with " + mechanism;
    if (unavailable) {
      return present(SecurityReplies.authUnavailable());
    }
    if (++authFailures >= MAX_AUTH_FAILURES) {
      phase = Phase.CLOSED;
      return present(SecurityReplies.tooManyAuthFailures(config.hostname()));
    }
    return present(SecurityReplies.authFailed());
  }

  /** The authenticated user, or null. */
  public String authUser() {
    return authUser;
  }

  private SaslExchange.Step present(SaslExchange.Step step) {
    if (step instanceof SaslExchange.Failed f) {
      return new SaslExchange.Failed(present(f.reply()));
    }
    return step;
  }

  /**
   * The reply to a command line ended by a bare LF; it closes, as Postfix's
   * smtpd_forbid_bare_newline=reject does (RFC 5321 2.3.8: only CRLF ends a line).
   */
  public Reply bareLineFeed() {
    phase = Phase.CLOSED;
    return present(ExtensionReplies.bareLfInCommand(config.hostname()));
  }

  // BDAT: RFC 3030 2.

  /**
   * A BDAT command: says how to read the chunk that follows it. A refused chunk is still read (and
   * thrown away), and a refusal ends a message whose body had begun, so that the chunks the client
   * pipelined after it are refused too (RFC 3030 2: the client must consider it failed).
   */
  public ChunkPlan bdat(Command c) {
    if (phase == Phase.DATA || phase == Phase.COMMIT || phase == Phase.CLOSED) {
      throw new IllegalStateException("BDAT in phase " + phase);
    }
    reason = null;
    BdatRequest b = BdatRequest.parse(c.argument());
    if (!b.framed()) {
      phase = Phase.CLOSED;
      return ChunkPlan.discard(b, present(ExtensionReplies.bdatUnframed()));
    }
    Reply refusal = gate.refusal(c.verb(), config.hostname());
    if (refusal != null) {
      reason = gate.reason();
    } else {
      refusal = checkBdat(b);
    }
    if (refusal != null) {
      if (tx != null && tx.chunked) {
        endTransaction();
      }
      if (refusal.closesConnection()) {
        phase = Phase.CLOSED;
      }
      return ChunkPlan.discard(b, present(refusal));
    }
    if (tx.queueId == null) {
      tx.queueId = queueIds.get();
    }
    tx.chunked = true;
    phase = Phase.DATA;
    return ChunkPlan.accept(b);
  }

  private Reply checkBdat(BdatRequest b) {
    if (!extensions().chunking()) {
      return Replies.notImplemented();
    }
    if (!b.wellFormed()) {
      return ExtensionReplies.bdatSyntax();
    }
    if (tx == null) {
      return phase == Phase.CONNECTED ? Replies.needHelo() : Replies.needMail();
    }
    return tx.recipients.isEmpty() ? Replies.noValidRecipients() : null;
  }

  /**
   * A chunk other than the last was read; {@code size} octets of body so far. Over the size limit
   * the message ends at once with 552 (RFC 1870 6.2, RFC 3030 2); the last chunk ends in {@link
   * #endOfData}.
   */
  public Reply endOfChunk(long size) {
    requirePhase(Phase.DATA);
    if (size > limits.maxMessageSize()) {
      endTransaction();
      return present(Replies.messageTooBig());
    }
    phase = Phase.MAIL;
    return present(ExtensionReplies.chunkReceived(size));
  }

  /** Whether a message body sent with BDAT is in progress, between or during its chunks. */
  public boolean chunking() {
    return tx != null && tx.chunked;
  }

  private Extensions extensions() {
    return Extensions.of(config.smtp());
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
