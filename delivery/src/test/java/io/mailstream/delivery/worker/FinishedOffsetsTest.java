package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The list of finished records a delivery worker's offset commit carries in its metadata. */
class FinishedOffsetsTest {
  private static final long ASKED_AT = 1_796_487_476_525L;

  @Test
  void rangesAreWrittenFromTheCommittedOffsetAndReadBackTheSame() {
    FinishedOffsets ranges = FinishedOffsets.builder().add(101, 103).add(140, 140).add(1000, 1099).build();
    String text = ranges.text(100, ASKED_AT);
    assertEquals("f1:" + Long.toString(ASKED_AT, 36) + ":1.3,10.1,nv.2s", text);
    FinishedOffsets read = FinishedOffsets.parse(text, 100);
    assertEquals("101-103, 140, 1000-1099", read.toString());
    assertEquals(ASKED_AT, read.asOf());
    for (long offset : new long[] {101, 103, 140, 1000, 1099}) {
      assertTrue(read.contains(offset), "contains " + offset);
    }
    for (long offset : new long[] {100, 104, 139, 141, 999, 1100}) {
      assertFalse(read.contains(offset), "not " + offset);
    }
  }

  @Test
  void adjoiningRangesMerge() {
    assertEquals("5-9", FinishedOffsets.builder().add(5, 6).add(7, 9).build().toString());
  }

  @Test
  void aListOfNothingStillSaysWhenItWasMade() {
    String text = FinishedOffsets.builder().add(3, 6).build().text(7, ASKED_AT);
    assertEquals("f1:" + Long.toString(ASKED_AT, 36) + ":", text, "all before the offset");
    FinishedOffsets read = FinishedOffsets.parse(text, 7);
    assertTrue(read.isEmpty());
    assertEquals(ASKED_AT, read.asOf());
  }

  @Test
  void twoListsOfTheSameRecordsAreTheSameWhenEverMade() {
    FinishedOffsets ranges = FinishedOffsets.builder().add(11, 12).build();
    assertTrue(FinishedOffsets.sameRecords(ranges.text(10, 1), ranges.text(10, 2)));
    assertFalse(FinishedOffsets.sameRecords(ranges.text(10, 1), FinishedOffsets.NONE.text(10, 1)));
    assertTrue(FinishedOffsets.sameRecords("", FinishedOffsets.NONE.text(10, 1)), "Kafka's empty default lists nothing");
  }

  @Test
  void aLongListIsCutToWhatTheBrokerTakesKeepingTheLowestRanges() {
    FinishedOffsets.Builder b = FinishedOffsets.builder();
    for (long offset = 0; offset < 200_000; offset += 2) {
      b.add(offset + 1, offset + 1);
    }
    String text = b.build().text(0, ASKED_AT);
    assertTrue(text.length() <= FinishedOffsets.MAX_TEXT, text.length() + " characters");
    FinishedOffsets read = FinishedOffsets.parse(text, 0);
    assertTrue(read.contains(1) && read.contains(101) && !read.contains(2));
    assertFalse(read.contains(199_999), "the highest left out: delivered again after a crash, never lost");
  }

  @Test
  void metadataNotWrittenHereListsNothingAndSaysNoMoment() {
    for (String text : new String[] {null, "", "f1:", "f1:1.3", "f2:0:1.3", "f1:0:1", "f1:0:#.3", "f1:0:1.3.4",
        "f1:0:1.0", "f1:0:-1.3", "f1:0:1.2,0.3", "f1:-5:1.3", "f1:zzzzzzzzzzzzzzzz:1.3", "checkpoint"}) {
      FinishedOffsets read = FinishedOffsets.parse(text, 10);
      assertTrue(read.isEmpty(), String.valueOf(text));
      assertEquals(-1, read.asOf(), String.valueOf(text));
    }
  }
}
