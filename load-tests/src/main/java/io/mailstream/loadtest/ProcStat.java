package io.mailstream.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux /proc figures for CPU and memory cost: the machine's busy jiffies (everything but idle and
 * iowait, as performance-baseline.md measures it) and this process's own CPU and peak RSS.
 */
final class ProcStat {
  private ProcStat() {}

  /** Busy jiffies of the whole machine since boot, from the first line of /proc/stat. */
  static long machineBusyJiffies() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest is already in user.
    for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
      total += Long.parseLong(f[i]);
    }
    return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
  }

  /** User plus system jiffies of this process, from /proc/self/stat. */
  static long selfCpuJiffies() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Peak resident set size of this process (VmHWM) in KiB. */
  static long selfPeakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
