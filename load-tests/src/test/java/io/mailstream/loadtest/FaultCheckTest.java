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
    FaultCheck.Figures f = run(outcomes, ids);
    assertTrue(f.ok());
    String line = f.render(4, 0).lines().filter(l -> l.startsWith("FAULTCHECK")).findFirst().orElseThrow();
    assertEquals("FAULTCHECK sent=5 acknowledged=2 delivered=2 duplicated=1 lost=0 unknowable=2"
        + " unknowable_delivered=1 refused=1 wrongly_delivered=0 verdict=PASS", line);
  }

  @Test
  void anAcknowledgedMessageMissingOrARefusedOneDeliveredFails() throws Exception {
    Path outcomes = Files.write(dir.resolve("o"), List.of("<1.r@x> ACK 250", "<2.r@x> REFUSED_PERM 554"));
    FaultCheck.Figures f = run(outcomes, Files.write(dir.resolve("ids"), List.of("<2.r@x>")));
    assertEquals(1, f.lost);
    assertEquals(1, f.wronglyDelivered);
    assertTrue(f.render(1, 0).contains("verdict=FAIL"));
  }

  private static FaultCheck.Figures run(Path outcomes, Path ids) throws Exception {
    java.util.Map<String, Integer> copies = new java.util.HashMap<>();
    Files.readAllLines(ids).forEach(id -> copies.merge(id, 1, Integer::sum));
    FaultCheck.Figures f = new FaultCheck.Figures();
    for (String line : Files.readAllLines(outcomes)) {
      String[] p = line.split(" ", 3);
      f.add(Outcomes.Kind.valueOf(p[1]), copies.getOrDefault(p[0], 0), p[0]);
    }
    return f;
  }
}
