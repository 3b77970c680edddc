package io.mailstream.ops.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailstream.ops.reload.ConfigReloader;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The node's administrative HTTP endpoint, on loopback by default: {@code POST /reload} (what
 * {@code mailstream reload} calls), {@code GET /version} (the configuration version running),
 * {@code GET /health} and {@code /health/ready} (whether each router and delivery worker runs and
 * the queue is writable; 503 otherwise), {@code GET /health/live} (the process answers), {@code
 * GET /metrics} (Prometheus), the queue ({@link QueueEndpoints}, {@code /queue}) and the dead
 * letters ({@link DeadLetterEndpoints}), and the operator's page over all of them ({@link
 * Dashboard}, {@code /dashboard}). Requests that change something ({@code POST /reload}, the queue
 * orders) need the node's {@link AdminToken}. Its address is written to {@code
 * <data-dir>/admin.address} so that the commands find the node without being told.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpServer server;
  private final Path addressFile;
  private final ExecutorService threads;

  private AdminServer(HttpServer server, Path addressFile, ExecutorService threads) {
    this.server = server;
    this.addressFile = addressFile;
    this.threads = threads;
  }

  /**
   * Starts the endpoint.
   *
   * @param reload performs a reload and says what happened
   * @param version the configuration version running, as {@code configuration version N (hash)}
   * @param health the state of the node's stages
   * @param token what {@code POST /reload} and the queue orders ask for
   * @param queue the queue listing and orders
   * @param deadLetters the dead-letter listing and replay
   */
  public static AdminServer start(
      InetSocketAddress listen,
      Path dataDir,
      Supplier<ConfigReloader.Result> reload,
      Supplier<String> version,
      Supplier<HealthReport> health,
      PrometheusMeterRegistry metrics,
      AdminToken token,
      QueueEndpoints queue,
      DeadLetterEndpoints deadLetters)
      throws IOException {
    HttpServer server = HttpServer.create(listen, 16);
    // A few threads: an order waits for the node to apply it and a replay reads bodies, and
    // meanwhile health probes and listings must still be answered.
    ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "mailstream-admin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/reload", x -> {
      if (!"POST".equals(x.getRequestMethod())) {
        send(x, 405, "use POST\n");
        return;
      }
      if (!token.admits(x.getRequestHeaders().getFirst("Authorization"))) {
        send(x, 401, "the admin token is missing or wrong (see <data-dir>/admin.token)\n");
        return;
      }
      ConfigReloader.Result r = reload.get();
      send(x, r.applied() ? 200 : 422, r.message() + "\n");
    });
    server.createContext("/version", x -> send(x, 200, version.get() + "\n"));
    // /health and /health/ready: ready for mail (stages running, queue writable); /health/live:
    // the process answers. A stage that is down restarts by itself, so it makes the node unready,
    // never dead: a liveness probe that killed it would only lose the restart in progress.
    server.createContext("/health", x -> {
      HealthReport h = health.get();
      send(x, h.ok() ? 200 : 503, h.text());
    });
    server.createContext("/health/live", x -> send(x, 200, "live\n"));
    server.createContext("/metrics", x -> send(x, 200, metrics.scrape()));
    queue.register(server);
    deadLetters.register(server);
    Dashboard.of(metrics).register(server);
    server.start();
    Path file = dataDir.resolve("admin.address");
    Files.createDirectories(dataDir);
    InetSocketAddress bound = server.getAddress();
    Files.writeString(file, bound.getAddress().getHostAddress() + ":" + bound.getPort() + "\n", StandardCharsets.US_ASCII);
    return new AdminServer(server, file, threads);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    threads.shutdownNow();
    Files.deleteIfExists(addressFile);
  }
}
