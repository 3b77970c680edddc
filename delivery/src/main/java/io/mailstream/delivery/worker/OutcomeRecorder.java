package io.mailstream.delivery.worker;

import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.DeliveryAttempted;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.state.RetryChangelog;
import io.mailstream.queue.state.RetryEntry;
import io.mailstream.queue.state.RetryStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns one attempt's result into what the rest of the system sees: an attempt and an outcome event
 * per recipient, a mail log line, and the retry state (RocksDB view plus changelog) for those still
 * deferred. Recipients bounced by one attempt go to the bounce notifier together, so that the
 * sender gets one notice for them; so do those deferred by the first attempt past the warning time
 * (one warning per message and destination). The caller commits its input offset only once every
 * record sent here is stored ({@link AcknowledgedSends}).
 */
final class OutcomeRecorder {
  private final Producer<String, byte[]> producer;
  private final String outcomesTopic;
  private final RetryStore store;
  private final RetryChangelog changelog;
  private final RetryPolicy policy;
  private final BounceNotifier bounces;
  private final BodyReader bodies;
  private final DeliveryMetrics metrics;
  private final Runnable noticesStored;

  /**
   * @param noticesStored waits until every record sent so far is stored, and throws if one was
   *     not: a retry's notice must be stored before its retry entry changes (see {@link #record})
   */
  OutcomeRecorder(
      Producer<String, byte[]> producer, String outcomesTopic, RetryStore store, RetryChangelog changelog, RetryPolicy policy,
      BounceNotifier bounces, BodyReader bodies, DeliveryMetrics metrics, Runnable noticesStored) {
    this.metrics = metrics;
    this.noticesStored = noticesStored;
    this.producer = producer;
    this.outcomesTopic = outcomesTopic;
    this.store = store;
    this.changelog = changelog;
    this.policy = policy;
    this.bounces = bounces;
    this.bodies = bodies;
  }

  /**
   * Records attempt number {@code attempt} of {@code routed} (from routed partition {@code
   * partition}); {@code previous} is the retry entry it came from, or null for a first attempt.
   */
  void record(int partition, RecipientRouted routed, RetryEntry previous, int attempt,
      TransactionResult result, long startedAt, long now) {
    List<EnvelopeRecipient> stillDeferred = new ArrayList<>();
    List<BounceNotifier.Failure> failed = new ArrayList<>();
    List<BounceNotifier.Delayed> delayed = new ArrayList<>();
    ReplyRecord lastReply = null;
    boolean expired = policy.expired(routed.message().acceptedAtMillis(), now);
    metrics.attempt(routed.destination(), now - startedAt);
    for (RecipientResult r : result.recipients()) {
      RecipientResult settled = r;
      if (r.outcome() == RecipientResult.Outcome.DEFERRED && expired) {
        settled = new RecipientResult(r.recipient(), RecipientResult.Outcome.BOUNCED, expiredReply(r.reply()));
      }
      OutcomeLog.log(routed, settled, result.relay(), startedAt, now);
      emit(new DeliveryAttempted(routed.queueId(), r.recipient().address(), routed.destination(),
          result.relay(), r.reply(), attempt, startedAt));
      MailEvent outcome = outcome(routed, settled, result.relay(), attempt, now);
      emit(outcome);
      metrics.outcome(routed.destination(), outcome);
      if (outcome instanceof Bounced b) {
        failed.add(new BounceNotifier.Failure(r.recipient(), b));
      } else if (outcome instanceof Deferred d) {
        delayed.add(new BounceNotifier.Delayed(r.recipient(), d));
      }
      if (settled.outcome() == RecipientResult.Outcome.DEFERRED) {
        stillDeferred.add(r.recipient());
        lastReply = r.reply();
      }
    }
    boolean noticed = false;
    if (!failed.isEmpty()) {
      // Before the retry state changes and before the caller commits: a crash from here on makes
      // the next owner repeat this attempt, notice included (at least once, never lost).
      bounces.bounced(routed.message(), failed, bodies, producer);
      noticed = true;
    }
    // Not for recipients waiting for the router: each hand-back starts a new routed record (a
    // "first attempt" again), so they would be warned on every round; the attempt at their real
    // destination warns instead. Same place and guarantee as the failure notice above.
    if (!delayed.isEmpty() && !routed.destination().isReroute()
        && policy.warnsNow(routed.message().acceptedAtMillis(), previous, now)) {
      bounces.delayed(routed.message(), new BounceNotifier.Delay(routed.envelopeSender(), delayed,
          policy.warnAfter(), policy.lifetime()), bodies, producer);
      noticed = true;
    }
    if (noticed && previous != null) {
      // A retry has no input record to read again: if its notice were lost after the entry had
      // changed (a tombstone stored, the notice not), nothing would send it. So the notice is
      // stored first, and a failure leaves the entry as it was, to be attempted again.
      noticesStored.run();
    }
    String key = RetryEntry.keyOf(routed);
    if (!stillDeferred.isEmpty()) {
      RecipientRouted rest = routed.withRecipients(stillDeferred);
      long first = previous == null ? startedAt : previous.firstAttemptAtMillis();
      RetryEntry entry = new RetryEntry(rest, attempt, first, policy.nextAttempt(attempt, now), lastReply, result.relay());
      store.put(partition, entry);
      changelog.put(partition, entry);
    } else if (previous != null) {
      store.remove(partition, key);
      changelog.remove(partition, key);
    }
  }

  private ReplyRecord expiredReply(ReplyRecord last) {
    // sendmail: "Cannot send message for 5 days", with the last reply for the administrator.
    return new ReplyRecord(last.code(), "4.4.7",
        List.of("Cannot send message for " + policy.lifetimeText() + " (last reply: " + last + ")"));
  }

  private MailEvent outcome(RecipientRouted routed, RecipientResult r, String relay, int attempt, long now) {
    return switch (r.outcome()) {
      case DELIVERED -> new Delivered(routed.queueId(), r.recipient().address(), relay, r.reply(),
          routed.message().acceptedAtMillis(), now);
      case DEFERRED -> new Deferred(routed.queueId(), r.recipient().address(), relay, r.reply(),
          attempt, policy.nextAttempt(attempt, now));
      case BOUNCED -> new Bounced(routed.queueId(), r.recipient().address(), routed.envelopeSender(),
          relay, r.reply(), now);
    };
  }

  private void emit(MailEvent event) {
    producer.send(new ProducerRecord<>(outcomesTopic, event.queueId(), EventCodec.encode(event)));
  }
}
