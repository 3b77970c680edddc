package io.mailstream.ops.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailstream.ops.queue.DeadLetterBox;
import io.mailstream.ops.queue.Views;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dead-letter topic on the admin endpoint, in JSON:
 *
 * <ul>
 *   <li>{@code GET /dead-letters}: its records ({@link Views.DeadLetterListing}); open.
 *   <li>{@code POST /dead-letters/replay?id=P@O|all=true[&force=true]}: writes dead letters back
 *       to their topics ({@link Views.DeadLetterReplay}); needs the token.
 * </ul>
 */
public final class DeadLetterEndpoints {
  private final DeadLetterBox deadLetters;
  private final AdminToken token;

  public DeadLetterEndpoints(DeadLetterBox deadLetters, AdminToken token) {
    this.deadLetters = deadLetters;
    this.token = token;
  }

  void register(HttpServer server) {
    server.createContext("/dead-letters", this::route);
  }

  private void route(HttpExchange x) throws IOException {
    try {
      String path = x.getRequestURI().getPath();
      Map<String, List<String>> query = QueueEndpoints.query(x.getRequestURI().getRawQuery());
      if (path.equals("/dead-letters") || path.equals("/dead-letters/")) {
        QueueEndpoints.send(x, 200, deadLetters.list());
      } else if (path.equals("/dead-letters/replay")) {
        if (!"POST".equals(x.getRequestMethod())) {
          QueueEndpoints.error(x, 405, "use POST");
        } else if (!token.admits(x.getRequestHeaders().getFirst("Authorization"))) {
          QueueEndpoints.error(x, 401, "the admin token is missing or wrong (see <data-dir>/admin.token)");
        } else if (!query.containsKey("id") && !QueueEndpoints.flag(query, "all")) {
          QueueEndpoints.error(x, 400, "say which dead letters: id=PARTITION@OFFSET (repeatable) or all=true");
        } else {
          Set<String> ids = Set.copyOf(query.getOrDefault("id", List.of()));
          QueueEndpoints.send(x, 200,
              deadLetters.replay(ids, QueueEndpoints.flag(query, "all"), QueueEndpoints.flag(query, "force")));
        }
      } else {
        QueueEndpoints.error(x, 404, "no such endpoint: " + path);
      }
    } catch (RuntimeException e) {
      QueueEndpoints.error(x, 500, e.toString());
    }
  }
}
