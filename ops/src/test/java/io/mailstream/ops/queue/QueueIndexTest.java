package io.mailstream.ops.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.QueueCommand;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue view from events in the order the topics give them, which need not be the order they happened in. */
class QueueIndexTest {
  private static final long T = 1_700_000_000_000L;
  private static final MailAddress ALICE = new MailAddress("alice", "client.example");
  private static final MailAddress LIST = new MailAddress("staff", "corp.example");
  private static final MailAddress BOB = new MailAddress("bob", "corp.example");
  private static final MailAddress CAROL = new MailAddress("carol", "corp.example");
  private static final Destination SMART = new Destination("relay", "smtp.corp.example", 25, false);
  private static final ReplyRecord LATER = new ReplyRecord(451, "4.7.1", List.of("Try again later"));
  private static final ReplyRecord OK = new ReplyRecord(250, "2.0.0", List.of("Ok"));
  private static final ReplyRecord UNKNOWN = new ReplyRecord(550, "5.1.1", List.of("User unknown"));
  private static final QueueFilter QUEUED = QueueFilter.of(Map.of());

  @RegisterExtension final QueueIndexes indexes = new QueueIndexes();

  static MessageAccepted accepted(String id, String received, MailAddress... to) {
    return new MessageAccepted(id, T, ALICE, List.of(to).stream().map(EnvelopeRecipient::of).toList(),
        new ClientInfo("client.example", "192.0.2.1", null, "ESMTP", null), "<m@client.example>", received,
        BodyRef.inline("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)),
        MessageAccepted.DsnRequest.NONE);
  }

  static RecipientRouted routed(MessageAccepted m, MailAddress... to) {
    return new RecipientRouted(m.storedAt(0, 7), m.sender(), SMART, List.of(to).stream().map(EnvelopeRecipient::of).toList(),
        List.of(), T + 10, "fingerprint0");
  }

  @Test
  void anAliasIsReplacedByItsMembersAndALateRoutingDoesNotUndoAnOutcome() {
    QueueIndex index = indexes.open();
    MessageAccepted m = accepted("q1", "Received: x\r\n", LIST);
    index.apply(m, 0, 7, T);
    index.apply(new Deferred("q1", BOB, "smtp.corp.example", LATER, 1, T + 60_000), 0, 1, T + 30);
    index.apply(new Delivered("q1", CAROL, "smtp.corp.example", OK, T, T + 20), 0, 2, T + 20);
    index.apply(routed(m, BOB, CAROL), 0, 3, T + 10); // read after the outcomes: it must not undo them
    Views.Message v = index.select(QUEUED, T + 1000, id -> false).get(0);
    assertEquals("deferred", v.state());
    assertEquals(List.of("bob@corp.example", "carol@corp.example"), v.recipients().stream().map(Views.Recipient::address).toList());
    assertEquals(List.of("deferred", "delivered"), v.recipients().stream().map(Views.Recipient::state).toList());
    assertEquals("451 4.7.1 Try again later", v.recipients().get(0).lastReply());
    assertEquals(BodyRef.Store.ACCEPTED, index.find("q1", false).orElseThrow().body().store(), "no inline body kept");
  }

  @Test
  void ordersAndFinishedMessages() {
    QueueIndex index = indexes.open();
    index.apply(accepted("q1", null, BOB), 0, 1, T);
    index.apply(new Bounced("q1", BOB, ALICE, "smtp.corp.example", UNKNOWN, T + 5), 0, 2, T + 5);
    index.apply(accepted("q2", null, CAROL), 0, 3, T);
    index.apply(new QueueCommand(QueueCommand.Verb.HOLD, List.of("q2"), "node (root)", T + 9));
    assertEquals(List.of("q2"), index.select(QUEUED, T, id -> false).stream().map(Views.Message::queueId).toList());
    assertEquals("held", index.select(QUEUED, T, id -> false).get(0).state());
    QueueFilter bounced = QueueFilter.of(Map.of("state", List.of("bounced")));
    assertEquals(List.of("q1"), index.select(bounced, T, id -> false).stream().map(Views.Message::queueId).toList());
    index.apply(new QueueCommand(QueueCommand.Verb.DELETE, List.of("q2"), "node (root)", T + 10));
    assertTrue(index.select(QUEUED, T, id -> false).isEmpty());
    assertEquals(2, index.forget(T + 1), "finished and deleted mail older than retention is forgotten");
  }

  @Test
  void aHoldDoesNotKeepAMessageItsAttemptUnderWayDelivered() {
    QueueIndex index = indexes.open();
    index.apply(accepted("q1", null, BOB), 0, 1, T);
    index.apply(new QueueCommand(QueueCommand.Verb.HOLD, List.of("q1"), "node (root)", T + 1));
    index.apply(new Delivered("q1", BOB, "smtp.corp.example", OK, T, T + 2), 0, 2, T + 2);
    assertTrue(index.select(QUEUED, T, id -> false).isEmpty());
    assertEquals("delivered", index.find("q1", false).orElseThrow().message().state());
  }

  @Test
  void aReplayedCopyDeliversForItsOriginal() {
    QueueIndex index = indexes.open();
    index.apply(accepted("q1", null, BOB), 0, 1, T);
    index.apply(new Bounced("q1", BOB, ALICE, "smtp.corp.example", UNKNOWN, T + 5), 0, 2, T + 5);
    QueueFilter all = QueueFilter.of(Map.of("state", List.of("bounced")));
    assertEquals(List.of("bob@corp.example"), index.replayable(all, T, false).get(0).send());
    index.apply(accepted("q9", ReplayTrace.field("q1", "root", "relay", T + 100) + "Received: x\r\n", BOB), 0, 3, T + 100);
    index.apply(new Delivered("q9", BOB, "smtp.corp.example", OK, T + 100, T + 110), 0, 4, T + 110);
    QueueIndex.ReplayPlan again = index.replayable(all, T + 200, false).get(0);
    assertEquals(List.of(), again.send());
    assertTrue(again.skipped().get(0).reason().startsWith("already delivered"));
    assertEquals(List.of("bob@corp.example"), index.replayable(all, T + 200, true).get(0).send());
    assertTrue(index.find("q1", false).orElseThrow().history().stream().anyMatch(h -> h.event().equals("replayed")));
  }

  @Test
  void countsByStateWithEachStatesOldestArrival() {
    QueueIndex index = indexes.open();
    index.apply(acceptedAt("q1", T, BOB), 0, 1, T);
    index.apply(new Deferred("q1", BOB, "smtp.corp.example", LATER, 1, T + 60_000), 0, 2, T + 5);
    index.apply(acceptedAt("q2", T + 1000, CAROL), 0, 3, T + 1000);
    index.apply(new Deferred("q2", CAROL, "smtp.corp.example", LATER, 1, T + 60_000), 0, 4, T + 1005);
    index.apply(acceptedAt("q3", T + 2000, BOB), 0, 5, T + 2000);
    index.apply(acceptedAt("q4", T + 3000, BOB), 0, 6, T + 3000);
    index.apply(new QueueCommand(QueueCommand.Verb.HOLD, List.of("q4"), "node (root)", T + 3001));
    index.apply(acceptedAt("q5", T - 5000, CAROL), 0, 7, T - 5000);
    index.apply(new Delivered("q5", CAROL, "smtp.corp.example", OK, T - 5000, T - 4000), 0, 8, T - 4000);
    assertEquals(Map.of(
            "deferred", new QueueIndex.StateCount(2, T),
            "queued", new QueueIndex.StateCount(1, T + 2000),
            "held", new QueueIndex.StateCount(1, T + 3000)),
        index.countByState(), "delivered mail has left the queue and is not counted");
  }

  @Test
  void sendmailsQueueRunLimitsAreSubstringsOfARecipientInAnyCaseAndOfTheQueueId() {
    QueueIndex index = indexes.open();
    index.apply(acceptedAt("aa1bb", T, BOB), 0, 1, T);
    index.apply(acceptedAt("cc2dd", T, ALICE), 0, 2, T);
    QueueFilter corp = QueueFilter.of(Map.of("recipient-contains", List.of("B@CORP.ex")));
    assertEquals(List.of("aa1bb"), index.select(corp, T, id -> false).stream().map(Views.Message::queueId).toList());
    QueueFilter id = QueueFilter.of(Map.of("id-contains", List.of("c2d")));
    assertEquals(List.of("cc2dd"), index.select(id, T, id2 -> false).stream().map(Views.Message::queueId).toList());
    assertTrue(index.select(QueueFilter.of(Map.of("id-contains", List.of("C2D"))), T, x -> false).isEmpty(),
        "a queue id is matched as written");
    assertTrue(!corp.empty() && !id.empty(), "either limit is a selection an order may use");
  }

  private static MessageAccepted acceptedAt(String id, long at, MailAddress to) {
    return new MessageAccepted(id, at, ALICE, List.of(EnvelopeRecipient.of(to)),
        new ClientInfo("client.example", "192.0.2.1", null, "ESMTP", null), "<m@client.example>", null,
        BodyRef.inline("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)),
        MessageAccepted.DsnRequest.NONE);
  }

  @Test
  void onlyMailStillQueuedIsKeptInMemoryAndFinishedMailIsStillShown() {
    QueueIndex index = indexes.open();
    MessageAccepted m1 = accepted("q1", null, BOB);
    index.apply(m1, 0, 1, T);
    index.apply(routed(m1, BOB), 0, 2, T + 1);
    index.apply(new Deferred("q1", BOB, "smtp.corp.example", LATER, 1, T + 60_000), 0, 3, T + 20);
    index.apply(accepted("q2", null, CAROL), 0, 4, T + 30);
    index.apply(new Bounced("q1", BOB, ALICE, "smtp.corp.example", UNKNOWN, T + 70_000), 0, 5, T + 70_000);
    assertEquals(1, index.inMemory(), "the bounced message has left memory");

    Views.Message kept = index.find("q1", false).orElseThrow().message();
    assertEquals("bounced", kept.state());
    Views.Recipient bob = kept.recipients().get(0);
    assertEquals(SMART.key(), bob.destination());
    assertEquals(1, bob.attempts());
    assertEquals("550 5.1.1 User unknown", bob.lastReply());
    assertEquals(List.of("accepted", "routed", "deferred", "bounced"),
        index.find("q1", false).orElseThrow().history().stream().map(Views.History::event).toList());
    QueueFilter all = QueueFilter.of(Map.of("all", List.of("true")));
    assertEquals(List.of("q1", "q2"), index.select(all, T, id -> false).stream().map(Views.Message::queueId).toList());
    assertEquals(List.of("q2"), index.select(QUEUED, T, id -> false).stream().map(Views.Message::queueId).toList());
    assertEquals(List.of("q1"), index.select(QueueFilter.of(Map.of("id", List.of("q1"), "state", List.of("bounced"))), T,
        id -> false).stream().map(Views.Message::queueId).toList());
    assertEquals(1, index.forget(T + 1), "forgotten from disk once the topics no longer hold it");
    assertTrue(index.find("q1", false).isEmpty());
  }

  @Test
  void aLateRoutingBringsAFinishedMessageBackIntoTheQueue() {
    QueueIndex index = indexes.open();
    MessageAccepted m = accepted("q1", null, LIST);
    index.apply(m, 0, 1, T);
    index.apply(routed(m, BOB), 0, 2, T + 1);
    index.apply(new Delivered("q1", BOB, "smtp.corp.example", OK, T, T + 2), 0, 3, T + 2);
    assertEquals(0, index.inMemory(), "the one member routed so far is delivered: the message looks finished");

    index.apply(routed(m, CAROL), 0, 4, T + 3); // the alias's other member, routed to another partition
    assertEquals(1, index.inMemory());
    assertEquals(List.of("q1"), index.select(QUEUED, T, id -> false).stream().map(Views.Message::queueId).toList());
    index.apply(new Delivered("q1", CAROL, "smtp.corp.example", OK, T, T + 4), 0, 5, T + 4);
    assertEquals(0, index.inMemory());
    Views.Message done = index.find("q1", false).orElseThrow().message();
    assertEquals(List.of("delivered", "delivered"), done.recipients().stream().map(Views.Recipient::state).toList());
    assertEquals(List.of("bob@corp.example", "carol@corp.example"),
        done.recipients().stream().map(Views.Recipient::address).toList());
  }

  @Test
  void aMessageKeptOnDiskReadsBackAsItWas() {
    QueuedMessage m = new QueuedMessage("q1");
    m.accepted = accepted("q1", "Received: x\r\n", BOB).storedAt(3, 42);
    m.body = m.accepted.body();
    m.held = true;
    m.replayOf = "q0";
    m.replays.add("q7");
    QueuedMessage.Recipient r = m.recipient(BOB);
    r.state = RecipientState.DEFERRED;
    r.stateAt = T + 5;
    r.seenByDelivery = true;
    r.destination = "[smtp.corp.example]";
    r.attempts = 3;
    r.nextAttemptAt = T + 60_000;
    r.lastReply = LATER;
    r.relay = "smtp.corp.example. [192.0.2.25]";
    m.remember(T, "accepted", null, "from <alice@client.example>");
    m.remember(T + 5, "deferred", "bob@corp.example", "451 4.7.1 Try again later");

    QueuedMessage back = QueuedMessageCodec.decode(QueuedMessageCodec.encode(m));
    assertEquals(m.view(false), back.view(false));
    assertEquals(m.history, back.history);
    assertEquals(m.accepted, back.accepted);
    assertEquals(List.of("q7"), back.replays);
    assertEquals("q0", back.replayOf);
  }
}
