package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations as sendmail writes them: {@code 30s 5m 4h 5d}. */
class DurationTextTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "30s,     PT30S",
    "0s,      PT0S",
    "90s,     PT1M30S",
    "5m,      PT5M",
    "4h,      PT4H",
    "5d,      PT120H",
    "'  15m ', PT15M",
    "007s,    PT7S",
    "106751991167300d, PT2562047788015200H",
  })
  void parses(String text, Duration expected) {
    assertEquals(expected, DurationText.parse(text));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      textBlock = """
        # text             | exact message
        ''                 | expected a duration like 30s, 5m, 4h or 5d, got ''
        s                  | expected a duration like 30s, 5m, 4h or 5d, got 's'
        5                  | expected a duration like 30s, 5m, 4h or 5d, got '5'
        30                 | expected a duration like 30s, 5m, 4h or 5d, got '30'
        1.5h               | expected a duration like 30s, 5m, 4h or 5d, got '1.5h'
        5 m                | expected a duration like 30s, 5m, 4h or 5d, got '5 m'
        1h30m              | expected a duration like 30s, 5m, 4h or 5d, got '1h30m'
        30 seconds         | expected a duration like 30s, 5m, 4h or 5d, got '30 seconds'
        ms                 | expected a duration like 30s, 5m, 4h or 5d, got 'ms'
        9223372036854775808s | expected a duration like 30s, 5m, 4h or 5d, got '9223372036854775808s'
        5x                 | unknown duration unit 'x' in '5x' (use s, m, h or d)
        5M                 | unknown duration unit 'M' in '5M' (use s, m, h or d)
        2w                 | unknown duration unit 'w' in '2w' (use s, m, h or d)
        -5m                | negative duration '-5m'
        999999999999999d   | duration too long: '999999999999999d'
        """)
  void rejects(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "PT0S,    0s",
    "PT30S,   30s",
    "PT90S,   90s",
    "PT1M,    1m",
    "PT61M,   61m",
    "PT1H,    1h",
    "PT25H,   25h",
    "PT24H,   1d",
    "PT120H,  5d",
  })
  void formatsInTheLargestExactUnit(Duration d, String text) {
    assertEquals(text, DurationText.format(d));
    assertEquals(d, DurationText.parse(text));
  }
}
