package io.mailstream.delivery.client;

import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.ChunkSink;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.netty.handler.codec.smtp.SmtpRequests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One mail transaction on an open connection (RFC 5321 3.3): MAIL, one RCPT per recipient, DATA,
 * the stuffed content. Decides each recipient's outcome from the reply that concerns it:
 *
 * <ul>
 *   <li>MAIL refused: every recipient gets that reply (4xx deferred, 5xx bounced);
 *   <li>RCPT refused: only that recipient; when none is accepted DATA is skipped and RSET sent;
 *   <li>DATA or the final dot refused: every accepted recipient gets that reply;
 *   <li>{@code 421}, time-out or dropped connection: every recipient not yet decided is deferred.
 * </ul>
 *
 * One instance per attempt; not thread-safe.
 */
final class SmtpTransaction {
  private final SmtpConnection connection;
  private final OutboundMessage message;
  private final Timeouts timeouts;
  private final RecipientResult[] results;
  private final List<Integer> accepted = new ArrayList<>();

  SmtpTransaction(SmtpConnection connection, OutboundMessage message) {
    this.connection = connection;
    this.message = message;
    this.timeouts = connection.timeouts();
    this.results = new RecipientResult[message.recipients().size()];
  }

  TransactionResult run() {
    try {
      if (!sizeFits()) {
        return result();
      }
      ReplyRecord mail = mail();
      if (mail.code() / 100 != 2) {
        failUndecided(mail);
        return result();
      }
      for (int i = 0; i < results.length; i++) {
        rcpt(i);
      }
      if (accepted.isEmpty()) {
        reset();
        return result();
      }
      ReplyRecord data = data();
      if (data.code() != 354) {
        failUndecided(data);
        reset();
        return result();
      }
      ReplyRecord end = content();
      for (int i : accepted) {
        decide(i, end);
      }
    } catch (SmtpSessionException e) {
      failUndecided(e.reply());
    }
    return result();
  }

  /** RFC 1870 6.1: a message over the server's declared limit is not offered at all. */
  private boolean sizeFits() {
    long limit = connection.capabilities().maxSize();
    long size = message.size();
    if (limit > 0 && size > limit) {
      failUndecided(SmtpReplies.tooBig(size, limit));
      return false;
    }
    return true;
  }

  private ReplyRecord mail() throws SmtpSessionException {
    Capabilities caps = connection.capabilities();
    List<CharSequence> params = new ArrayList<>();
    long size = message.size();
    if (caps.has("SIZE") && size >= 0) {
      params.add("SIZE=" + size);
    }
    // RFC 6152: declare 8-bit content when the server understands it. When it does not, the
    // message goes as it is, like sendmail's default EightBitMode=pass8; MIME downgrading is not
    // implemented.
    if (caps.has("8BITMIME") && message.eightBit()) {
      params.add("BODY=8BITMIME");
    }
    if (caps.has("DSN")) {
      addIfSet(params, "RET=", message.dsn().ret());
      addIfSet(params, "ENVID=", message.dsn().envid());
    }
    return connection.command(
        SmtpRequests.mail(message.sender().toString(), params.toArray(CharSequence[]::new)),
        timeouts.mail(),
        "MAIL");
  }

  private void rcpt(int i) throws SmtpSessionException {
    EnvelopeRecipient r = message.recipients().get(i);
    List<CharSequence> params = new ArrayList<>();
    if (connection.capabilities().has("DSN")) {
      addIfSet(params, "NOTIFY=", r.notifyOn());
      addIfSet(params, "ORCPT=", r.orcpt());
    }
    ReplyRecord reply =
        connection.command(
            SmtpRequests.rcpt(r.address().toString(), params.toArray(CharSequence[]::new)),
            timeouts.rcpt(),
            "RCPT");
    if (reply.code() / 100 == 2) {
      accepted.add(i);
    } else {
      decide(i, reply);
    }
  }

  private ReplyRecord data() throws SmtpSessionException {
    return connection.command(SmtpRequests.data(), timeouts.dataInit(), "DATA");
  }

  /** Streams trace header and body through the dot-stuffer and returns the final reply. */
  private ReplyRecord content() throws SmtpSessionException {
    DotStuffer stuffer = new DotStuffer();
    StuffingSink sink = new StuffingSink(stuffer);
    try {
      sink.accept(message.traceHeaderBytes());
      message.body().writeTo(sink);
    } catch (IOException | RuntimeException e) {
      if (sink.failure != null) {
        throw sink.failure;
      }
      // The stored body could not be read. The final dot must not be sent, or the server would
      // deliver a truncated message; closing the connection makes it discard the transaction.
      connection.abort();
      throw new SmtpSessionException(
          connection.relay(),
          SmtpReplies.localError("Cannot read the queued message " + message.queueId() + ": " + e),
          e);
    }
    connection.writeLastContent(stuffer.finish());
    return connection.awaitReply(timeouts.dataTermination(), "end of data");
  }

  /** Feeds the connection, remembering a network failure so it is not taken for a read error. */
  private final class StuffingSink implements ChunkSink {
    private final DotStuffer stuffer;
    private SmtpSessionException failure;

    StuffingSink(DotStuffer stuffer) {
      this.stuffer = stuffer;
    }

    @Override
    public void accept(byte[] chunk, int offset, int length) throws IOException {
      byte[] stuffed = stuffer.stuff(chunk, offset, length);
      if (stuffed.length == 0) {
        return;
      }
      try {
        connection.writeContent(stuffed);
      } catch (SmtpSessionException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Ends an open transaction that will not be completed (RFC 5321 4.1.1.5), so the connection can
   * be reused; a connection that fails RSET is closed.
   */
  private void reset() {
    if (connection.usable() && !connection.reset()) {
      connection.abort();
    }
  }

  /** 2xx delivers, 5xx bounces, anything else (4xx, a stray 3xx) defers. */
  private void decide(int i, ReplyRecord reply) {
    Outcome outcome;
    if (reply.code() / 100 == 2) {
      outcome = Outcome.DELIVERED;
    } else {
      outcome = reply.code() >= 500 ? Outcome.BOUNCED : Outcome.DEFERRED;
    }
    results[i] = new RecipientResult(message.recipients().get(i), outcome, reply);
  }

  /**
   * Gives {@code reply}, which ended the transaction early, to every recipient without a result
   * yet. Only the final reply to the content can deliver, so an odd 2xx here defers.
   */
  private void failUndecided(ReplyRecord reply) {
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        Outcome outcome = reply.code() >= 500 ? Outcome.BOUNCED : Outcome.DEFERRED;
        results[i] = new RecipientResult(message.recipients().get(i), outcome, reply);
      }
    }
  }

  private TransactionResult result() {
    return new TransactionResult(connection.relay(), Arrays.asList(results));
  }

  private static void addIfSet(List<CharSequence> params, String name, String value) {
    if (value != null && !value.isEmpty()) {
      params.add(name + value);
    }
  }
}
