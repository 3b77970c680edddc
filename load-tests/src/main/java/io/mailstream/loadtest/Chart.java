package io.mailstream.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The chart page of a compare.sh results directory: four SVG line charts (accepted per second,
 * delivered per second at the sink, accept latency p50 and p99) with one line per run, relays by
 * colour, warm runs dashed. Plain HTML and inline SVG so the file opens anywhere, offline. The y
 * axes are logarithmic: the rates span the raw producer's thousands and a relay's tens.
 */
final class Chart {
  private static final Map<String, String> COLOURS =
      Map.of("postfix", "#1f77b4", "sendmail", "#2ca02c", "mailstream", "#d62728", "kafka-raw", "#9467bd");
  private static final int W = 960;
  private static final int H = 300;
  private static final int LEFT = 60;
  private static final int RIGHT = 170;
  private static final int TOP = 30;
  private static final int BOTTOM = 40;

  /** One line: a run's label, colour, dash, and its points (seconds since the run's start, value). */
  record Series(String label, String colour, boolean dashed, List<double[]> points) {}

  private Chart() {}

  static String html(Path dir, List<CompareReport.Run> runs) throws IOException {
    List<Series> accepted = new ArrayList<>();
    List<Series> delivered = new ArrayList<>();
    List<Series> p50 = new ArrayList<>();
    List<Series> p99 = new ArrayList<>();
    for (CompareReport.Run r : runs) {
      String colour = COLOURS.getOrDefault(r.relay(), "#555555");
      boolean dashed = !r.phase().equals("cold");
      String base = r.relay() + "-" + r.phase();
      Path counts = dir.resolve(base + "-counts.csv");
      if (Files.exists(counts)) {
        List<double[]> rows = csv(counts);
        accepted.add(new Series(r.label(), colour, dashed, rates(rows, 1)));
        delivered.add(new Series(r.label(), colour, dashed, rates(rows, 2)));
      }
      Path probe = dir.resolve(base + "-probe.csv");
      if (Files.exists(probe)) {
        TimeSeries ts = TimeSeries.parse(Files.readAllLines(probe, StandardCharsets.US_ASCII));
        if (!Files.exists(counts)) {
          accepted.add(new Series(r.label(), colour, dashed, points(ts, s -> s.accepted())));
        }
        p50.add(new Series(r.label(), colour, dashed, points(ts, TimeSeries.Second::p50)));
        p99.add(new Series(r.label(), colour, dashed, points(ts, TimeSeries.Second::p99)));
      }
    }
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Mailstream compare</title>\n");
    h.append("<style>body{font-family:sans-serif;margin:20px}pre{background:#f4f4f4;padding:8px}</style>\n");
    h.append("</head><body>\n<h1>Mailstream, Postfix, sendmail and the raw Kafka producer</h1>\n");
    Path table = dir.resolve("table.md");
    if (Files.exists(table)) {
      h.append("<pre>").append(escape(Files.readString(table, StandardCharsets.UTF_8))).append("</pre>\n");
    }
    Path about = dir.resolve("about.txt");
    if (Files.exists(about)) {
      h.append("<pre>").append(escape(Files.readString(about, StandardCharsets.UTF_8))).append("</pre>\n");
    }
    h.append(svg("Accepted per second (smtp-source's counter; the raw producer: acks per second)", accepted));
    h.append(svg("Delivered per second (arrivals at smtp-sink)", delivered));
    h.append(svg("Accept latency p50 per second, ms (Mailstream's load generator beside smtp-source)", p50));
    h.append(svg("Accept latency p99 per second, ms", p99));
    h.append("</body></html>\n");
    return h.toString();
  }

  /** Rows of a counts CSV: seconds since start, then cumulative counters. */
  static List<double[]> csv(Path file) throws IOException {
    List<double[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      if (line.isBlank() || !Character.isDigit(line.charAt(0))) {
        continue;
      }
      String[] f = line.split(",");
      double[] row = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        row[i] = f[i].isEmpty() ? 0 : Double.parseDouble(f[i]);
      }
      rows.add(row);
    }
    return rows;
  }

  /** Per-second rates of the cumulative counter in {@code column}, between consecutive samples. */
  static List<double[]> rates(List<double[]> rows, int column) {
    List<double[]> points = new ArrayList<>();
    for (int i = 1; i < rows.size(); i++) {
      double dt = rows.get(i)[0] - rows.get(i - 1)[0];
      if (dt > 0) {
        points.add(new double[] {rows.get(i)[0], (rows.get(i)[column] - rows.get(i - 1)[column]) / dt});
      }
    }
    return points;
  }

  private static List<double[]> points(TimeSeries ts, ToDoubleFunction<TimeSeries.Second> f) {
    List<double[]> points = new ArrayList<>();
    for (TimeSeries.Second s : ts.seconds()) {
      if (s.accepted() > 0) {
        points.add(new double[] {s.t() + 1, f.applyAsDouble(s)});
      }
    }
    return points;
  }

  static String svg(String title, List<Series> series) {
    double maxX = 1;
    double minY = Double.MAX_VALUE;
    double maxY = 0;
    for (Series s : series) {
      for (double[] p : s.points()) {
        maxX = Math.max(maxX, p[0]);
        if (p[1] > 0) {
          minY = Math.min(minY, p[1]);
          maxY = Math.max(maxY, p[1]);
        }
      }
    }
    if (maxY == 0) {
      return "<h3>" + escape(title) + "</h3><p>no data</p>\n";
    }
    int lo = (int) Math.floor(Math.log10(minY));
    int hi = Math.max(lo + 1, (int) Math.ceil(Math.log10(maxY)));
    double fx = (W - LEFT - RIGHT) / maxX;
    double fy = (H - TOP - BOTTOM) / (double) (hi - lo);
    StringBuilder s = new StringBuilder();
    s.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"12\">\n", W, H));
    s.append(fmt("<text x=\"%d\" y=\"18\" font-weight=\"bold\">%s</text>\n", LEFT, escape(title)));
    for (int e = lo; e <= hi; e++) {
      double y = H - BOTTOM - (e - lo) * fy;
      s.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y, W - RIGHT, y));
      s.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 4, y + 4, tick(e)));
    }
    double step = Math.max(1, Math.pow(10, Math.floor(Math.log10(maxX))) / (maxX < 20 ? 2 : 1));
    for (double x = 0; x <= maxX; x += step) {
      double px = LEFT + x * fx;
      s.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", px, TOP, px, H - BOTTOM));
      s.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>\n", px, H - BOTTOM + 14, x));
    }
    s.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since the run's start</text>\n",
        LEFT + (W - LEFT - RIGHT) / 2, H - 6));
    int legend = 0;
    for (Series line : series) {
      StringBuilder path = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (double[] p : line.points()) {
        if (p[1] <= 0) {
          continue;
        }
        double x = LEFT + p[0] * fx;
        double y = H - BOTTOM - (Math.log10(p[1]) - lo) * fy;
        path.append(fmt("%.1f,%.1f ", x, y));
        // A dot per sample, so that a run of a second or two still shows.
        dots.append(fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>", x, y, line.colour()));
      }
      s.append(dots).append('\n');
      String dash = line.dashed() ? " stroke-dasharray=\"6,3\"" : "";
      s.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\"/>\n",
          line.colour(), dash, path.toString().trim()));
      int ly = TOP + 14 * legend++;
      s.append(fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
          W - RIGHT + 10, ly, W - RIGHT + 34, ly, line.colour(), dash));
      s.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>\n", W - RIGHT + 38, ly + 4, escape(line.label())));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static String tick(int exponent) {
    return exponent >= 0 ? fmt("%.0f", Math.pow(10, exponent)) : fmt("%s", Math.pow(10, exponent));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
