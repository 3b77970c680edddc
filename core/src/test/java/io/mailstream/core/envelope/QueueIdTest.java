package io.mailstream.core.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Queue ids: unique, fixed length, alphanumeric, with a readable time-ordered prefix. */
class QueueIdTest {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx";

  @Test
  void uniqueAlphanumericAndFixedLength() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = QueueId.next();
      assertEquals(16, id.length(), id);
      assertTrue(id.matches("[0-9A-Za-z]+"), id);
      assertTrue(seen.add(id), "duplicate " + id);
    }
  }

  /** The first six characters are the UTC time in seconds, one base-60 digit per field. */
  @Test
  void prefixIsTheCurrentTime() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String id = QueueId.next();
    Instant after = Instant.now();
    Instant stamped = decode(id);
    assertTrue(!stamped.isBefore(before) && !stamped.isAfter(after), id + " decodes to " + stamped);
  }

  /** Ids sort by time: the alphabet is in ASCII order, so string order is time order. */
  @Test
  void prefixSortsByTime() {
    String earlier = QueueId.next().substring(0, 6);
    for (int i = 0; i < 10_000; i++) {
      String later = QueueId.next().substring(0, 6);
      assertTrue(later.compareTo(earlier) >= 0, later + " sorts before " + earlier);
      earlier = later;
    }
    for (int i = 1; i < ALPHABET.length(); i++) {
      assertTrue(ALPHABET.charAt(i - 1) < ALPHABET.charAt(i));
    }
  }

  private static Instant decode(String id) {
    int[] d = new int[6];
    for (int i = 0; i < 6; i++) {
      d[i] = ALPHABET.indexOf(id.charAt(i));
    }
    int nowYear = ZonedDateTime.now(ZoneOffset.UTC).getYear();
    int year = nowYear - Math.floorMod(nowYear - d[0], 60);
    return ZonedDateTime.of(year, d[1] + 1, d[2], d[3], d[4], d[5], 0, ZoneOffset.UTC).toInstant();
  }
}
