package io.mailstream.core.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3463 enhanced status codes. */
class EnhancedStatusTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // text, class, subject, detail, printed
    "2.0.0,     2, 0,   0,   2.0.0",
    "4.4.7,     4, 4,   7,   4.4.7",
    "5.1.1,     5, 1,   1,   5.1.1",
    "5.7.26,    5, 7,   26,  5.7.26",
    "5.999.999, 5, 999, 999, 5.999.999",
    "4.01.002,  4, 1,   2,   4.1.2",
  })
  void parsesValid(String text, int klass, int subject, int detail, String printed) {
    EnhancedStatus s = EnhancedStatus.parse(text);
    assertEquals(new EnhancedStatus(klass, subject, detail), s);
    assertEquals(printed, s.toString());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "5",
        "5.1",
        "5.1.",
        ".1.1",
        "5..1",
        "5.1.1.1",
        "1.0.0",
        "3.0.0",
        "6.0.0",
        "0.0.0",
        "05.1.1",
        "55.1.1",
        "5.1000.1",
        "5.1.1000",
        "+5.1.1",
        "5.+1.1",
        "5.-1.1",
        "5.1.-1",
        "a.b.c",
        "5.1.x",
        " 5.1.1",
        "5.1.1 ",
        "5.1.1x",
        "5,1,1",
        "٥.١.١", // Arabic-Indic digits, which Integer.parseInt alone would accept
        "250",
      })
  void rejectsInvalid(String text) {
    assertNull(EnhancedStatus.parse(text));
  }

  @Test
  void constructorChecksRanges() {
    assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(3, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(5, 1000, 0));
    assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(5, 0, 1000));
    assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(5, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(5, 0, -1));
  }

  @Test
  void constantsPrintAsTheirNames() {
    assertEquals("2.0.0", EnhancedStatus.X_2_0_0.toString());
    assertEquals("4.4.7", EnhancedStatus.X_4_4_7.toString());
    assertEquals("5.1.7", EnhancedStatus.X_5_1_7.toString());
    assertEquals("5.7.1", EnhancedStatus.X_5_7_1.toString());
  }
}
