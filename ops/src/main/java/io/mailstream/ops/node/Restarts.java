package io.mailstream.ops.node;

import java.time.Duration;

/**
 * How the {@link StageSupervisor} restarts a failed stage worker: after {@code first}, doubling up
 * to {@code max}; after {@code downAfter} failures in a row the stage counts as down (the ingress
 * answers {@code 451 4.3.0}) while restarts go on at {@code max}. A worker that runs {@code max}
 * without failing has recovered: its count starts again.
 */
public record Restarts(Duration first, Duration max, int downAfter) {
  /** One second doubling to 30 s; down after five failures in a row (about 15 s of trying). */
  public static final Restarts DEFAULT = new Restarts(Duration.ofSeconds(1), Duration.ofSeconds(30), 5);

  public Restarts {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || downAfter < 1) {
      throw new IllegalArgumentException("bad restart policy: " + first + ".." + max + ", down after " + downAfter);
    }
  }

  /** The wait before the next start after {@code failures} failures in a row (1 for the first). */
  Duration delayAfter(int failures) {
    Duration d = first;
    for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) < 0 ? d : max;
  }
}
