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

  @Test
  void aFinishedRecordIsCommittedOnlyOnceItsSendsAreStored() {
    tracker.started(p0, 10);
    tracker.started(p0, 11);
    tracker.finished(p0, 10, 4); // its outcome is send number 4
    tracker.finished(p0, 11, 7);

    assertEquals(Map.of(), tracker.committable(3), "send 4 not answered yet");
    assertEquals(Map.of(p0, new OffsetAndMetadata(11)), tracker.committable(6));
    assertEquals(Map.of(p0, new OffsetAndMetadata(12)), tracker.committable(7));
  }

  @Test
  void aSlowRecordHoldsBackTheFastOnesBehindItButIsNeverSkipped() {
    for (long offset = 0; offset < 4; offset++) {
      tracker.started(p0, offset);
    }
    tracker.finished(p0, 0, 1);
    tracker.finished(p0, 2, 2);
    tracker.finished(p0, 3, 3);

    assertEquals(Map.of(p0, new OffsetAndMetadata(1)), tracker.committable(3));
    assertEquals(3, tracker.uncommitted(), "0 (committable, not committed yet), 2 and 3");
    tracker.committed(Map.of(p0, new OffsetAndMetadata(1)));
    assertEquals(2, tracker.uncommitted());
    assertEquals(1, tracker.unfinished());

    tracker.finished(p0, 1, 4);
    assertEquals(Map.of(p0, new OffsetAndMetadata(4)), tracker.committable(4));
  }

  @Test
  void whatIsCommittedIsNotOfferedAgainAndTheRewindPointFollowsIt() {
    tracker.started(p0, 5);
    tracker.started(p1, 8);
    assertEquals(5, tracker.rewindTo(p0));
    tracker.finished(p0, 5, 1);
    tracker.finished(p1, 8, 1);
    Map<TopicPartition, OffsetAndMetadata> first = tracker.committable(1);
    assertEquals(Map.of(p0, new OffsetAndMetadata(6), p1, new OffsetAndMetadata(9)), first);
    tracker.committed(first);

    assertEquals(Map.of(), tracker.committable(1));
    assertEquals(6, tracker.rewindTo(p0));
    assertEquals(0, tracker.uncommitted());
  }

  @Test
  void aCommitAnsweredAfterThePartitionWasForgottenChangesNothing() {
    tracker.started(p0, 0);
    tracker.finished(p0, 0, 1);
    Map<TopicPartition, OffsetAndMetadata> asked = tracker.committable(1);
    tracker.forget(p0); // revoked while the commit was under way

    tracker.committed(asked);
    assertEquals(-1, tracker.rewindTo(p0));
    assertTrue(tracker.partitions().isEmpty());
  }

  @Test
  void aRecordOfAPartitionGivenUpIsIgnored() {
    tracker.finished(p0, 3, 1);
    assertEquals(0, tracker.uncommitted());
    assertEquals(Map.of(), tracker.committable(1));
  }

  @Test
  void aCommitUnderWayIsNotAskedForAgainUnlessItIsRefused() {
    for (long offset = 0; offset < 3; offset++) {
      tracker.started(p0, offset);
    }
    tracker.finished(p0, 0, 1);
    Map<TopicPartition, OffsetAndMetadata> first = tracker.committable(1);
    assertEquals(Map.of(p0, new OffsetAndMetadata(1)), first);
    tracker.asked(first);
    assertEquals(Map.of(), tracker.committable(1), "nothing new since the commit under way");

    tracker.finished(p0, 1, 2);
    Map<TopicPartition, OffsetAndMetadata> second = tracker.committable(2);
    assertEquals(Map.of(p0, new OffsetAndMetadata(2)), second, "a second commit while the first is under way");
    tracker.asked(second);

    tracker.refused(first); // an older refusal: the later commit still asks for more
    assertEquals(Map.of(), tracker.committable(2));
    tracker.refused(second);
    assertEquals(Map.of(p0, new OffsetAndMetadata(2)), tracker.committable(2), "refused: offered again");

    tracker.asked(second);
    tracker.committed(second);
    tracker.committed(first); // answered late: the committed offset does not go back
    assertEquals(2, tracker.rewindTo(p0));
    tracker.finished(p0, 2, 3);
    tracker.asked(tracker.committable(3));
    tracker.askAgain();
    assertEquals(Map.of(p0, new OffsetAndMetadata(3)), tracker.committable(3), "a commit that must cover everything");
  }
}
