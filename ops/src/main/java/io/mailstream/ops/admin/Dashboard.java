package io.mailstream.ops.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailstream.ops.metrics.MailFlowFigures;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The operator's page on the admin endpoint (README, "The dashboard"):
 *
 * <ul>
 *   <li>{@code GET /dashboard}: one self-contained HTML page (its script and style inline, nothing
 *       fetched from elsewhere) that polls the endpoints below and the queue's; {@code GET /}
 *       redirects to it.
 *   <li>{@code GET /dashboard/figures}: {@link MailFlowFigures} in JSON, the running totals the
 *       page turns into throughput and latency over time.
 * </ul>
 *
 * Both are open, like {@code /metrics} and {@code GET /queue}; the page's buttons send the orders
 * to the queue endpoints with the token the operator types in.
 */
final class Dashboard {
  /**
   * The page may run its own inline script and style and talk to this endpoint, and nothing else:
   * no CDN, no font, no frame around it (so no other site can overlay its buttons).
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
      + "style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  private final byte[] page;
  private final MeterRegistry registry;

  private Dashboard(byte[] page, MeterRegistry registry) {
    this.page = page;
    this.registry = registry;
  }

  /** The dashboard over {@code registry}'s meters; the page is read once, from the classpath. */
  static Dashboard of(MeterRegistry registry) {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html is missing from the mailstream jar");
      }
      return new Dashboard(in.readAllBytes(), registry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void register(HttpServer server) {
    server.createContext("/dashboard", this::route);
    // "/" catches every path no other context takes: only "/" itself leads to the page.
    server.createContext("/", x -> {
      if (x.getRequestURI().getPath().equals("/")) {
        x.getResponseHeaders().set("Location", "/dashboard");
        x.sendResponseHeaders(302, -1);
        x.close();
      } else {
        QueueEndpoints.error(x, 404, "no such endpoint: " + x.getRequestURI().getPath());
      }
    });
  }

  private void route(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    if (!"GET".equals(x.getRequestMethod())) {
      QueueEndpoints.error(x, 405, "use GET");
    } else if (path.equals("/dashboard") || path.equals("/dashboard/")) {
      x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      x.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      x.getResponseHeaders().set("Cache-Control", "no-store");
      x.sendResponseHeaders(200, page.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(page);
      }
    } else if (path.equals("/dashboard/figures")) {
      x.getResponseHeaders().set("Cache-Control", "no-store");
      QueueEndpoints.send(x, 200, MailFlowFigures.read(registry));
    } else {
      QueueEndpoints.error(x, 404, "no such endpoint: " + path);
    }
  }
}
