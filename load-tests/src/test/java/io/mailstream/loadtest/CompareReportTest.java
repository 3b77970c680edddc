package io.mailstream.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareReportTest {
  private static final String POSTFIX_COLD =
      "RUN relay=postfix phase=cold accepted_per_s=900.0 e2e_per_s=800.0 p50_ms=5.00 p99_ms=30.00"
          + " cpu_s_per_1000=2.10 relay_cpu_s_per_1000=1.00 peak_rss_mib=300";
  private static final String MAILSTREAM_COLD =
      "RUN relay=mailstream phase=cold accepted_per_s=150.0 e2e_per_s=120.0 p50_ms=100.00 p99_ms=250.00"
          + " cpu_s_per_1000=8.60 relay_cpu_s_per_1000=7.00 peak_rss_mib=700";
  private static final String RAW_WARM =
      "RUN relay=kafka-raw phase=warm accepted_per_s=7400.0 e2e_per_s=- p50_ms=2.60 p99_ms=5.10"
          + " cpu_s_per_1000=0.50 relay_cpu_s_per_1000=0.40 peak_rss_mib=800";

  @Test
  void ratioIsToPostfixInTheSamePhase() {
    List<CompareReport.Run> runs =
        List.of(POSTFIX_COLD, MAILSTREAM_COLD, RAW_WARM).stream().map(l -> CompareReport.Run.parse(l).orElseThrow()).toList();
    assertEquals(Optional.of(0.15), CompareReport.ratioToPostfix(runs, runs.get(1)));
    assertEquals(Optional.empty(), CompareReport.ratioToPostfix(runs, runs.get(2)), "no warm Postfix run");
    String table = CompareReport.table(runs);
    assertTrue(table.contains("| mailstream | cold | 150 | 120 | 0.15 | 100.0 | 250.0 | 8.60 | 7.00 | 700 |"), table);
    assertTrue(table.contains("| kafka-raw | warm | 7400 | - | - |"), table);
  }

  @Test
  void writesTableAndSelfContainedChart(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("results.txt"), POSTFIX_COLD + "\n" + MAILSTREAM_COLD + "\n");
    Files.writeString(dir.resolve("postfix-cold-counts.csv"), "t_s,source_sent,sink_received,relay_hwm_kib\n0.5,0,0,1\n1.5,900,800,2\n2.5,1800,1600,2\n");
    Files.writeString(dir.resolve("postfix-cold-probe.csv"), "second,accepted,p50_ms,p99_ms,max_ms\n0,50,5.0,30.0,31.0\n1,40,6.0,20.0,22.0\n");
    assertEquals(0, new picocli.CommandLine(new CompareReport()).execute(dir.toString()));
    String html = Files.readString(dir.resolve("chart.html"));
    assertTrue(html.contains("<svg"));
    assertTrue(html.contains("postfix cold"));
    assertTrue(!html.contains("http://") || html.replace("http://www.w3.org/2000/svg", "").indexOf("http") < 0,
        "no external resources");
    assertTrue(Files.readString(dir.resolve("table.md")).startsWith("| relay |"));
  }

  @Test
  void ratesComeFromConsecutiveSamples() {
    List<double[]> rows = List.of(new double[] {0, 0, 0}, new double[] {2, 100, 50});
    assertEquals(50.0, Chart.rates(rows, 1).get(0)[1]);
    assertEquals(25.0, Chart.rates(rows, 2).get(0)[1]);
  }
}
