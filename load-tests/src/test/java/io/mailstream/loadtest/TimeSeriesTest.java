package io.mailstream.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  @Test
  void bucketsEventsBySecondOfCompletion() {
    long[] at = {100 * MS, 900 * MS, 2 * S + 1, 2 * S + 5};
    long[] latency = {10 * MS, 30 * MS, 5 * MS, 7 * MS};
    TimeSeries ts = TimeSeries.of(at, latency);
    assertEquals(3, ts.seconds().size());
    assertEquals(new TimeSeries.Second(0, 2, 10, 30, 30), ts.seconds().get(0));
    assertEquals(new TimeSeries.Second(1, 0, 0, 0, 0), ts.seconds().get(1), "a quiet second stays in the series");
    assertEquals(2, ts.seconds().get(2).accepted());
    assertEquals(7.0, ts.seconds().get(2).p99());
  }

  @Test
  void csvRoundTrips() {
    TimeSeries ts = TimeSeries.of(new long[] {S / 2, 3 * S / 2}, new long[] {2 * MS, 4 * MS});
    TimeSeries back = TimeSeries.parse(List.of(ts.toCsv().split("\n")));
    assertEquals(ts, back);
  }

  @Test
  void emptyRunHasNoSeconds() {
    assertEquals(0, TimeSeries.of(new long[0], new long[0]).seconds().size());
  }
}
