package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The list of finished records a delivery worker's offset commit carries in its metadata. */
class FinishedOffsetsTest {

  @Test
  void rangesAreWrittenFromTheCommittedOffsetAndReadBackTheSame() {
    FinishedOffsets ranges = FinishedOffsets.builder().add(101, 103).add(140, 140).add(1000, 1099).build();
    String text = ranges.text(100);
    assertEquals("f1:1.3,10.1,nv.2s", text);
    FinishedOffsets read = FinishedOffsets.parse(text, 100);
    assertEquals("101-103, 140, 1000-1099", read.toString());
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
  void nothingFinishedIsKafkasEmptyMetadata() {
    assertEquals("", FinishedOffsets.NONE.text(7));
    assertEquals("", FinishedOffsets.builder().add(3, 6).build().text(7), "all before the offset");
    assertTrue(FinishedOffsets.parse("", 7).isEmpty());
  }

  @Test
  void aLongListIsCutToWhatTheBrokerTakesKeepingTheLowestRanges() {
    FinishedOffsets.Builder b = FinishedOffsets.builder();
    for (long offset = 0; offset < 200_000; offset += 2) {
      b.add(offset + 1, offset + 1);
    }
    String text = b.build().text(0);
    assertTrue(text.length() <= FinishedOffsets.MAX_TEXT, text.length() + " characters");
    FinishedOffsets read = FinishedOffsets.parse(text, 0);
    assertTrue(read.contains(1) && read.contains(101) && !read.contains(2));
    assertFalse(read.contains(199_999), "the highest left out: delivered again after a crash, never lost");
  }

  @Test
  void metadataNotWrittenHereListsNothing() {
    for (String text : new String[] {null, "f1:", "f2:1.3", "f1:1", "f1:#.3", "f1:1.3.4", "f1:1.0", "f1:-1.3", "f1:1.2,0.3", "checkpoint"}) {
      assertTrue(FinishedOffsets.parse(text, 10).isEmpty(), String.valueOf(text));
    }
  }
}
