package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What a delivery worker may commit: only up to the last contiguous finished record of a partition,
 * and only once Kafka has acknowledged every send made for it; and how many finished records a
 * crash would repeat.
 */
class OffsetTrackerTest {
  private final TopicPartition p0 = new TopicPartition("routed", 0);
  private final TopicPartition p1 = new TopicPartition("routed", 1);
  private final OffsetTracker tracker = new OffsetTracker();

  /** A commit at {@code offset} asked for at time 0, listing nothing past it. */
  static OffsetAndMetadata at(long offset) {
    return at(offset, "");
  }

  /** A commit at {@code offset} asked for at time 0, with the ranges past it as FinishedOffsets writes them. */
  static OffsetAndMetadata at(long offset, String ranges) {
    return new OffsetAndMetadata(offset, "f1:0:" + ranges);
  }

  @Test
  void aFinishedRecordIsCommittedOnlyOnceItsSendsAreStored() {
    tracker.started(p0, 10);
    tracker.started(p0, 11);
    tracker.finished(p0, 10, 4); // its outcome is send number 4
    tracker.finished(p0, 11, 7);

    assertEquals(Map.of(), tracker.committable(3, 0), "send 4 not answered yet");
    assertEquals(Map.of(p0, at(11)), tracker.committable(6, 0));
    assertEquals(Map.of(p0, at(12)), tracker.committable(7, 0));
  }

  @Test
  void aSlowRecordHoldsBackTheFastOnesBehindItButIsNeverSkipped() {
    for (long offset = 0; offset < 4; offset++) {
      tracker.started(p0, offset);
    }
    tracker.finished(p0, 0, 1);
    tracker.finished(p0, 2, 2);
    tracker.finished(p0, 3, 3);

    Map<TopicPartition, OffsetAndMetadata> commit = tracker.committable(3, 0);
    assertEquals(Map.of(p0, at(1, "1.2")), commit, "offset 1, and 2-3 finished past it");
    assertEquals(3, tracker.uncommitted(), "0 (committable, not committed yet), 2 and 3");
    tracker.committed(commit);
    assertEquals(0, tracker.uncommitted(), "a crash now repeats none: 2 and 3 are in the commit's list");
    assertEquals(1, tracker.unfinished());

    tracker.finished(p0, 1, 4);
    assertEquals(Map.of(p0, at(4)), tracker.committable(4, 0));
  }

  @Test
  void theListOnlyNamesRecordsWhoseSendsAreStoredAndGrowsWhileTheOffsetWaits() {
    for (long offset = 0; offset < 5; offset++) {
      tracker.started(p0, offset);
    }
    tracker.finished(p0, 1, 1);
    tracker.finished(p0, 3, 5);
    assertEquals(Map.of(p0, at(0, "1.1")), tracker.committable(4, 0), "3 waits for send 5");
    tracker.committed(tracker.committable(4, 0));
    assertEquals(1, tracker.uncommitted(), "3: finished, not listed yet");

    tracker.finished(p0, 4, 6);
    assertEquals(Map.of(p0, at(0, "1.1,1.2")), tracker.committable(6, 0),
        "the offset has not moved, the list has: 1, then 3-4");
  }

  @Test
  void theSameListIsCommittedAgainOnlyToKeepItsMomentRecent() {
    tracker.started(p0, 0);
    tracker.started(p0, 1);
    tracker.finished(p0, 1, 1);
    Map<TopicPartition, OffsetAndMetadata> first = tracker.committable(1, 0);
    tracker.asked(first);
    tracker.committed(first);
    assertEquals(Map.of(), tracker.committable(1, 29_999), "nothing new");
    Map<TopicPartition, OffsetAndMetadata> refresh = tracker.committable(1, OffsetTracker.REFRESH.toMillis());
    assertEquals(Map.of(p0, new OffsetAndMetadata(0, "f1:" + Long.toString(30_000, 36) + ":1.1")), refresh,
        "the same list, made now");
    tracker.asked(refresh);
    tracker.committed(refresh);
    assertEquals(1, tracker.committable(1, 60_000).size(), "and again 30 s later");
  }

  @Test
  void aPartitionWithNothingReadStillHasItsMomentRefreshed() {
    OffsetTracker next = new OffsetTracker();
    next.resume(p0, at(10, "2.3"), 1_000); // the previous owner's commit, in its clock
    assertEquals(Map.of(), next.committable(0, 30_999));
    Map<TopicPartition, OffsetAndMetadata> refresh = next.committable(0, 31_000);
    assertEquals(Map.of(p0, new OffsetAndMetadata(10, "f1:" + Long.toString(31_000, 36) + ":2.3")), refresh,
        "the same offset and list, this worker's moment");
    next.asked(refresh);
    next.committed(refresh);
    assertEquals(Map.of(), next.committable(0, 31_001));
  }

  @Test
  void aCommitTheWorkerMakesReplacesOneFromAClockAhead() {
    OffsetTracker next = new OffsetTracker();
    long ahead = 4_000_000_000_000L;
    next.resume(p0, new OffsetAndMetadata(10, "f1:" + Long.toString(ahead, 36) + ":"), 0);
    next.started(p0, 10);
    next.started(p0, 11);
    next.finished(p0, 11, 1);
    Map<TopicPartition, OffsetAndMetadata> commit = next.committable(1, 5);
    assertEquals(Map.of(p0, new OffsetAndMetadata(10, "f1:5:1.1")), commit);
    next.asked(commit);
    next.committed(commit);
    assertEquals(0, next.uncommitted(), "11 is in the commit that stands, though its moment is earlier");
  }

  @Test
  void anOlderAnswerForTheSameOffsetDoesNotReplaceANewerList() {
    for (long offset = 0; offset < 3; offset++) {
      tracker.started(p0, offset);
    }
    tracker.finished(p0, 1, 1);
    Map<TopicPartition, OffsetAndMetadata> older = tracker.committable(1, 0);
    tracker.asked(older);
    tracker.finished(p0, 2, 2);
    Map<TopicPartition, OffsetAndMetadata> newer = tracker.committable(2, 10);
    assertEquals(Map.of(p0, new OffsetAndMetadata(0, "f1:a:1.2")), newer);
    tracker.committed(newer); // a synchronous commit, answered first
    tracker.committed(older);
    assertEquals(0, tracker.uncommitted(), "1 and 2 are listed by the commit that stands");
  }

  @Test
  void aRewindReadsAgainEveryPartitionPolledEvenWhereNothingWasStarted() {
    tracker.polled(p0, 5);
    tracker.polled(p1, 8);
    tracker.started(p0, 5); // handling it threw before the batch reached p1's records
    assertEquals(5, tracker.rewindTo(p0));
    assertEquals(8, tracker.rewindTo(p1), "p1's records were fetched: the consumer is past them");
  }

  @Test
  void theListItCameWithIsCarriedInItsOwnCommitsUntilPassed() {
    OffsetTracker next = new OffsetTracker();
    next.resume(p0, at(10, "5.2"), 0); // 15-16 finished by the previous owner
    next.started(p0, 10);
    next.finished(p0, 10, 1);
    assertEquals(Map.of(p0, at(11, "4.2")), next.committable(1, 0), "15-16 still listed, not read yet");

    next.committed(next.committable(1, 0));
    next.started(p0, 11);
    next.finished(p0, 11, 2); // fails to be stored: the worker rewinds
    next.rewound(p0);
    assertTrue(next.finishedBefore(p0, 15) && next.finishedBefore(p0, 16), "still skipped after a rewind");
  }

  @Test
  void consecutiveRecordsMakeOneRangeAcrossOffsetsThatHoldNone() {
    // A transactional producer's commit markers take offsets 2 and 5: no consumer ever reads them.
    for (long offset : new long[] {0, 1, 3, 4, 6}) {
      tracker.started(p0, offset);
    }
    for (long offset : new long[] {1, 3, 4, 6}) {
      tracker.finished(p0, offset, 1);
    }
    assertEquals(Map.of(p0, at(0, "1.6")), tracker.committable(1, 0), "one range, 1-6");
  }

  @Test
  void theNextOwnerSkipsWhatTheLastCommitListsAndCarriesItForward() {
    OffsetTracker next = new OffsetTracker();
    FinishedOffsets inherited = next.resume(p0, at(10, "2.3"), 0);
    assertEquals("12-14", inherited.toString());
    next.started(p0, 10);
    assertTrue(!next.finishedBefore(p0, 10), "the offset's own record was not finished");
    assertTrue(!next.finishedBefore(p0, 11));
    assertTrue(next.finishedBefore(p0, 12) && next.finishedBefore(p0, 14));
    assertTrue(!next.finishedBefore(p0, 15));
    for (long offset = 11; offset < 16; offset++) {
      next.started(p0, offset);
    }
    for (long offset = 12; offset < 15; offset++) {
      next.finished(p0, offset, 0); // skipped: nothing sent for them
    }
    assertEquals(0, next.uncommitted(), "what it came with is committed already");
    assertEquals(Map.of(), next.committable(0, 0), "nothing new to commit");
    next.finished(p0, 11, 1);
    assertEquals(Map.of(p0, at(10, "1.4")), next.committable(1, 0), "11 joins 12-14");
  }

  @Test
  void aRewindForgetsWhatWasReadButNotWhatTheLastCommitLists() {
    for (long offset = 0; offset < 4; offset++) {
      tracker.started(p0, offset);
    }
    tracker.finished(p0, 1, 1);
    Map<TopicPartition, OffsetAndMetadata> commit = tracker.committable(1, 0);
    tracker.committed(commit);
    tracker.finished(p0, 2, 2); // its outcome was not stored: the rewind repeats it

    assertEquals(0, tracker.rewindTo(p0));
    tracker.rewound(p0);
    assertTrue(tracker.finishedBefore(p0, 1), "listed by a commit answered");
    assertTrue(!tracker.finishedBefore(p0, 2), "finished after it: attempted again");
    assertEquals(-1, tracker.rewindTo(p0), "nothing read since");
  }

  @Test
  void whatIsCommittedIsNotOfferedAgainAndTheRewindPointFollowsIt() {
    tracker.started(p0, 5);
    tracker.started(p1, 8);
    assertEquals(5, tracker.rewindTo(p0));
    tracker.finished(p0, 5, 1);
    tracker.finished(p1, 8, 1);
    Map<TopicPartition, OffsetAndMetadata> first = tracker.committable(1, 0);
    assertEquals(Map.of(p0, at(6), p1, at(9)), first);
    tracker.committed(first);

    assertEquals(Map.of(), tracker.committable(1, 0));
    assertEquals(6, tracker.rewindTo(p0));
    assertEquals(0, tracker.uncommitted());
  }

  @Test
  void aCommitAnsweredAfterThePartitionWasForgottenChangesNothing() {
    tracker.started(p0, 0);
    tracker.finished(p0, 0, 1);
    Map<TopicPartition, OffsetAndMetadata> asked = tracker.committable(1, 0);
    tracker.forget(p0); // revoked while the commit was under way

    tracker.committed(asked);
    assertEquals(-1, tracker.rewindTo(p0));
    assertTrue(tracker.partitions().isEmpty());
  }

  @Test
  void aRecordOfAPartitionGivenUpIsIgnored() {
    tracker.finished(p0, 3, 1);
    assertEquals(0, tracker.uncommitted());
    assertEquals(Map.of(), tracker.committable(1, 0));
  }

  @Test
  void aCommitUnderWayIsNotAskedForAgainUnlessItIsRefused() {
    for (long offset = 0; offset < 3; offset++) {
      tracker.started(p0, offset);
    }
    tracker.finished(p0, 0, 1);
    Map<TopicPartition, OffsetAndMetadata> first = tracker.committable(1, 0);
    assertEquals(Map.of(p0, at(1)), first);
    tracker.asked(first);
    assertEquals(Map.of(), tracker.committable(1, 0), "nothing new since the commit under way");

    tracker.finished(p0, 1, 2);
    Map<TopicPartition, OffsetAndMetadata> second = tracker.committable(2, 0);
    assertEquals(Map.of(p0, at(2)), second, "a second commit while the first is under way");
    tracker.asked(second);

    tracker.refused(first); // an older refusal: the later commit still asks for more
    assertEquals(Map.of(), tracker.committable(2, 0));
    tracker.refused(second);
    assertEquals(Map.of(p0, at(2)), tracker.committable(2, 0), "refused: offered again");

    tracker.asked(second);
    tracker.committed(second);
    tracker.committed(first); // answered late: the committed offset does not go back
    assertEquals(2, tracker.rewindTo(p0));
    tracker.finished(p0, 2, 3);
    tracker.asked(tracker.committable(3, 0));
    tracker.askAgain();
    assertEquals(Map.of(p0, at(3)), tracker.committable(3, 0), "a commit that must cover everything");
  }
}
