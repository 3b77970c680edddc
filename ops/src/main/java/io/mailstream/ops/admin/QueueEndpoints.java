package io.mailstream.ops.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailstream.core.event.QueueCommand;
import io.mailstream.ops.queue.HeaderSection;
import io.mailstream.ops.queue.QueueFilter;
import io.mailstream.ops.queue.QueueIndex;
import io.mailstream.ops.queue.QueueListing;
import io.mailstream.ops.queue.QueueOrders;
import io.mailstream.ops.queue.Replayer;
import io.mailstream.ops.queue.Views;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The queue on the admin endpoint, in JSON (README, "Administering the queue"):
 *
 * <ul>
 *   <li>{@code GET /queue?FILTER}: the messages selected ({@link Views.Listing}); open. With
 *       {@code format=mailq}, as text in {@code mailq}'s layout ({@link QueueListing}).
 *   <li>{@code GET /queue/message/ID}: one message, its header section and history ({@link
 *       Views.Detail}); 404 when unknown; open.
 *   <li>{@code POST /queue/hold|release|delete|flush|requeue?FILTER}: an order ({@link
 *       Views.OrderResult}); needs the bearer token (401 without), and a filter or {@code all=true}
 *       (400 otherwise).
 *   <li>{@code POST /queue/replay?FILTER[&dry-run=true][&force=true]}: a replay ({@link
 *       Views.ReplayResult}), with the same conditions; 400 when refused as a whole.
 * </ul>
 *
 * FILTER is {@link QueueFilter}'s query parameters. Errors are {@code {"error": "..."}}.
 */
public final class QueueEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final QueueIndex index;
  private final QueueOrders orders;
  private final Replayer replayer;
  private final HeaderSection headers;
  private final AdminToken token;
  private final Predicate<String> delivering;
  private final BooleanSupplier caughtUp;

  public QueueEndpoints(QueueIndex index, QueueOrders orders, Replayer replayer, HeaderSection headers,
      AdminToken token, Predicate<String> delivering, BooleanSupplier caughtUp) {
    this.index = index;
    this.orders = orders;
    this.replayer = replayer;
    this.headers = headers;
    this.token = token;
    this.delivering = delivering;
    this.caughtUp = caughtUp;
  }

  void register(HttpServer server) {
    server.createContext("/queue", this::route);
  }

  private void route(HttpExchange x) throws IOException {
    try {
      String path = x.getRequestURI().getPath();
      Map<String, List<String>> query = query(x.getRequestURI().getRawQuery());
      if (path.equals("/queue") || path.equals("/queue/")) {
        if (!"GET".equals(x.getRequestMethod())) {
          error(x, 405, "use GET");
          return;
        }
        List<Views.Message> messages = index.select(QueueFilter.of(query), System.currentTimeMillis(), delivering);
        Views.Listing listing = new Views.Listing(caughtUp.getAsBoolean(), messages.size(), messages);
        if (query.getOrDefault("format", List.of()).contains("mailq")) {
          sendText(x, listing);
        } else {
          send(x, 200, listing);
        }
      } else if (path.startsWith("/queue/message/")) {
        show(x, path.substring("/queue/message/".length()));
      } else {
        order(x, path.substring("/queue/".length()), query);
      }
    } catch (IllegalArgumentException e) {
      error(x, 400, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(x, 503, "interrupted");
    } catch (RuntimeException e) {
      error(x, 500, e.toString());
    }
  }

  private void show(HttpExchange x, String id) throws IOException {
    Optional<QueueIndex.Found> found = index.find(id, delivering.test(id));
    if (found.isEmpty()) {
      error(x, 404, "no message " + id + " in the queue or its topics");
      return;
    }
    QueueIndex.Found f = found.get();
    send(x, 200, new Views.Detail(f.message(), headers.of(f.accepted(), f.body()), f.history()));
  }

  private void order(HttpExchange x, String verbName, Map<String, List<String>> query)
      throws IOException, InterruptedException {
    QueueCommand.Verb verb = null;
    if (!verbName.equals("replay")) {
      try {
        verb = QueueCommand.Verb.valueOf(verbName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        error(x, 404, "no such queue endpoint: /queue/" + verbName);
        return;
      }
    }
    if (!"POST".equals(x.getRequestMethod())) {
      error(x, 405, "use POST");
      return;
    }
    if (!token.admits(x.getRequestHeaders().getFirst("Authorization"))) {
      error(x, 401, "the admin token is missing or wrong (see <data-dir>/admin.token)");
      return;
    }
    QueueFilter filter = QueueFilter.of(query);
    if (filter.empty() && !filter.all()) {
      error(x, 400, "say which messages: queue ids, a filter, or all");
      return;
    }
    String user = query.getOrDefault("user", List.of("admin")).get(0);
    if (verb == null) {
      send(x, 200, replayer.replay(filter, flag(query, "dry-run"), flag(query, "force"), user));
    } else {
      send(x, 200, orders.order(verb, filter, user));
    }
  }

  static boolean flag(Map<String, List<String>> query, String name) {
    return query.getOrDefault(name, List.of()).contains("true");
  }

  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /** The listing as {@code mailq} prints it, for clients that read no JSON ({@code sendmail -bp}). */
  private static void sendText(HttpExchange x, Views.Listing listing) throws IOException {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      QueueListing.print(listing, out);
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void error(HttpExchange x, int status, String message) throws IOException {
    send(x, status, Map.of("error", message));
  }

  static void send(HttpExchange x, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
