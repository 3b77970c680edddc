package io.mailstream.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The report of load-tests/compare.sh: reads the results directory it wrote ({@code results.txt},
 * one {@code RUN key=value ...} line per relay and phase, plus the per-second CSV files), prints
 * the comparison table as Markdown (also saved as {@code table.md}) and writes {@code chart.html},
 * a self-contained page of SVG charts (no scripts, no network) of throughput and accept latency
 * over each run.
 */
@Command(
    name = "compare-report",
    mixinStandardHelpOptions = true,
    description = "Table and chart of a load-tests/compare.sh results directory.")
public final class CompareReport implements Callable<Integer> {
  @Parameters(index = "0", description = "The results directory.")
  Path dir;

  /** One measured run: a relay (or the raw producer) in one phase, cold or warm. */
  record Run(Map<String, String> fields) {
    String relay() {
      return fields.get("relay");
    }

    String phase() {
      return fields.get("phase");
    }

    String label() {
      return relay() + " " + phase();
    }

    Optional<Double> number(String key) {
      String v = fields.get(key);
      if (v == null || v.isEmpty() || v.equals("-")) {
        return Optional.empty();
      }
      return Optional.of(Double.parseDouble(v));
    }

    /** Parses {@code RUN key=value key=value ...}. */
    static Optional<Run> parse(String line) {
      if (!line.startsWith("RUN ")) {
        return Optional.empty();
      }
      Map<String, String> f = new LinkedHashMap<>();
      for (String token : line.substring(4).trim().split("\\s+")) {
        int eq = token.indexOf('=');
        if (eq > 0) {
          f.put(token.substring(0, eq), token.substring(eq + 1));
        }
      }
      return Optional.of(new Run(f));
    }
  }

  @Override
  public Integer call() throws IOException {
    List<Run> runs = readRuns(dir.resolve("results.txt"));
    String table = table(runs);
    System.out.print(table);
    Files.writeString(dir.resolve("table.md"), table, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("chart.html"), Chart.html(dir, runs), StandardCharsets.UTF_8);
    System.out.println();
    System.out.println("chart: " + dir.resolve("chart.html"));
    return 0;
  }

  static List<Run> readRuns(Path file) throws IOException {
    List<Run> runs = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Run.parse(line).ifPresent(runs::add);
    }
    return runs;
  }

  /**
   * The Markdown table. The ratio is to Postfix in the same phase (cold to cold, warm to warm),
   * end-to-end rates where the run has them, else accepted rates (the raw producer has no next hop).
   */
  static String table(List<Run> runs) {
    StringBuilder s = new StringBuilder();
    s.append("| relay | run | accepted/s | e2e/s | x Postfix | accept p50 ms | accept p99 ms"
        + " | CPU s/1000 msgs, machine | CPU s/1000 msgs, relay | peak RSS MiB |\n");
    s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Run r : runs) {
      s.append("| ").append(r.relay()).append(" | ").append(r.phase());
      s.append(" | ").append(fmt(r.number("accepted_per_s"), "%.0f"));
      s.append(" | ").append(fmt(r.number("e2e_per_s"), "%.0f"));
      s.append(" | ").append(fmt(ratioToPostfix(runs, r), "%.2f"));
      s.append(" | ").append(fmt(r.number("p50_ms"), "%.1f"));
      s.append(" | ").append(fmt(r.number("p99_ms"), "%.1f"));
      s.append(" | ").append(fmt(r.number("cpu_s_per_1000"), "%.2f"));
      s.append(" | ").append(fmt(r.number("relay_cpu_s_per_1000"), "%.2f"));
      s.append(" | ").append(fmt(r.number("peak_rss_mib"), "%.0f"));
      s.append(" |\n");
    }
    return s.toString();
  }

  static Optional<Double> ratioToPostfix(List<Run> runs, Run r) {
    Optional<Run> postfix =
        runs.stream().filter(p -> p.relay().equals("postfix") && p.phase().equals(r.phase())).findFirst();
    if (postfix.isEmpty()) {
      return Optional.empty();
    }
    Optional<Double> base = postfix.get().number("e2e_per_s");
    Optional<Double> mine = r.number("e2e_per_s").or(() -> r.number("accepted_per_s"));
    if (base.isEmpty() || mine.isEmpty() || base.get() <= 0) {
      return Optional.empty();
    }
    return Optional.of(mine.get() / base.get());
  }

  private static String fmt(Optional<Double> v, String format) {
    return v.map(d -> String.format(Locale.ROOT, format, d)).orElse("-");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompareReport()).execute(args));
  }
}
