package io.mailstream.ops.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the queue verbs share: finding the node, reading its JSON, and the exit codes: 0 done, 1 the
 * node refused (unknown message, bad filter, wrong token), 2 bad usage or no running node found.
 */
abstract class QueueVerb implements Callable<Integer> {
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Mixin NodeOptions node;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try {
      return run(node.connect());
    } catch (NodeOptions.NodeNotFound e) {
      return fail(2, e.getMessage());
    }
  }

  abstract int run(NodeClient client) throws Exception;

  /**
   * The node's answer: {@code value} to print, or null when there is nothing more to do ({@code exit}
   * then says how it went).
   */
  record Answer<T>(T value, int exit) {}

  /**
   * Reads a 200 answer as {@code type}, or prints it as JSON when {@code json} is asked; any other
   * answer is the node's refusal, printed with exit code 1.
   */
  <T> Answer<T> answer(HttpResponse<String> r, Class<T> type, boolean json) throws IOException {
    if (r.statusCode() == 200) {
      if (json) {
        printJson(r.body());
        return new Answer<>(null, 0);
      }
      return new Answer<>(JSON.readValue(r.body(), type), 0);
    }
    String why = r.body();
    try {
      JsonNode error = JSON.readTree(r.body()).get("error");
      why = error == null ? why : error.asText();
    } catch (IOException e) {
      // Not JSON: print as it came.
    }
    return new Answer<>(null, fail(1, why.strip() + " (HTTP " + r.statusCode() + ")"));
  }

  int fail(int code, String message) {
    spec.commandLine().getErr().println("mailstream " + spec.name() + ": " + message);
    spec.commandLine().getErr().flush();
    return code;
  }

  /** Prints JSON as the node sent it, indented. */
  void printJson(String body) throws IOException {
    spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body)));
    spec.commandLine().getOut().flush();
  }
}
