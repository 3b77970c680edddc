package io.mailstream.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict of a fault run: lost and wrongly delivered mail fail it; duplicates and unknowables are counted. */
class FaultCheckTest {
  @TempDir Path dir;

  @Test
  void countsEachOutcomeAgainstTheSink() throws Exception {
    Path outcomes = Files.write(dir.resolve("o"), List.of(
        "<1.r@x> ACK 250 ok", "<2.r@x> ACK 250 ok", "<3.r@x> LOST_AFTER_DOT java.io.IOException",
        "<4.r@x> TEMP_AFTER_DOT 451 4.3.0", "<5.r@x> REFUSED_PERM 550", "<6.r@x> NOT_SENT -"));
    Path ids = Files.write(dir.resolve("ids"), List.of("<1.r@x>", "<2.r@x>", "<2.r@x>", "<3.r@x>"));
    FaultCheck.Figures f = FaultCheck.read(List.of(outcomes), ids);
    assertTrue(f.ok());
    String line = f.render().lines().filter(l -> l.startsWith("FAULTCHECK")).findFirst().orElseThrow();
    assertEquals("FAULTCHECK sent=5 acknowledged=2 delivered=2 duplicated=1 lost=0 unknowable=2"
        + " unknowable_delivered=1 refused=1 wrongly_delivered=0 verdict=PASS", line);
  }

  @Test
  void anAcknowledgedMessageMissingOrARefusedOneDeliveredFails() throws Exception {
    Path outcomes = Files.write(dir.resolve("o"), List.of("<1.r@x> ACK 250", "<2.r@x> REFUSED_PERM 554"));
    FaultCheck.Figures f =
        FaultCheck.read(List.of(outcomes), Files.write(dir.resolve("ids"), List.of("<2.r@x>", "<9.other@x>")));
    assertEquals(1, f.lost);
    assertEquals(1, f.wronglyDelivered);
    assertEquals(1, f.unknownIds, "a message no generator sent");
    assertTrue(f.render().contains("verdict=FAIL"));
  }
}
