package io.mailstream.sendmail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * This process's id and the time now, found without what the JDK would load for them: {@link
 * ProcessHandle} spins lambdas and the system time zone reads the whole time-zone database, each
 * a sizeable part of this command's start-up (BENCHMARKS.md), for a number and an offset.
 */
final class SystemFacts {
  private SystemFacts() {}

  /** The process id, from {@code /proc/self}; {@link ProcessHandle} where there is no procfs. */
  static long pid() {
    try {
      return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.current().pid();
    }
  }

  /**
   * The time now in the local zone, for the Date field. When the machine runs on UTC ({@code TZ}
   * says so, or, without {@code TZ}, {@code /etc/localtime} is UTC's zone file), UTC is taken
   * without reading the time-zone database.
   */
  static ZonedDateTime now() {
    return isUtc() ? ZonedDateTime.now(ZoneOffset.UTC) : ZonedDateTime.now();
  }

  private static boolean isUtc() {
    String tz = System.getenv("TZ");
    if (tz != null) {
      String name = tz.startsWith(":") ? tz.substring(1) : tz;
      return name.isEmpty() || name.equals("UTC") || name.equals("Etc/UTC") || name.equals("UTC0")
          || name.equals("GMT") || name.equals("Etc/GMT");
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/etc/localtime")).toString();
      return target.endsWith("/UTC") || target.endsWith("/Etc/UTC") || target.endsWith("/UCT")
          || target.endsWith("/Etc/GMT") || target.endsWith("/GMT");
    } catch (IOException | UnsupportedOperationException e) {
      return false; // not a link (or none): let the JDK work it out
    }
  }
}
