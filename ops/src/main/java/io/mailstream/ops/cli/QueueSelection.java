package io.mailstream.ops.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Which messages a verb is about, as the admin endpoint's query parameters: queue ids, and filters
 * that combine with AND.
 */
public final class QueueSelection {
  @Parameters(paramLabel = "ID", arity = "0..*", description = "queue ids")
  List<String> ids = new ArrayList<>();

  @Option(names = "--domain", paramLabel = "DOMAIN", description = "messages with a recipient in DOMAIN")
  String domain;

  @Option(names = "--sender", paramLabel = "ADDRESS|DOMAIN", description = "messages from this sender or sender domain")
  String sender;

  @Option(names = "--older-than", paramLabel = "AGE", description = "accepted longer ago than AGE (30m, 4h, 2d)")
  String olderThan;

  @Option(names = "--newer-than", paramLabel = "AGE", description = "accepted less than AGE ago")
  String newerThan;

  @Option(names = "--state", paramLabel = "STATE", split = ",",
      description = "queued, deferred, held, delivered, bounced or deleted (comma-separated: any of them)")
  List<String> states = new ArrayList<>();

  @Option(names = "--destination", paramLabel = "TEXT",
      description = "messages with a recipient routed to a destination containing TEXT ([smtp.corp.example])")
  String destination;

  @Option(names = "--all", description = "every message: for a listing, also those that have left the queue")
  boolean all;

  /** Whether anything narrows the selection. */
  boolean given() {
    return !ids.isEmpty() || domain != null || sender != null || olderThan != null || newerThan != null
        || !states.isEmpty() || destination != null || all;
  }

  /** The query string, {@code ?id=a&domain=b}, or empty. */
  String query() {
    return query(ids);
  }

  /** The query string with {@code these} queue ids instead of those given, and the other criteria. */
  String query(List<String> these) {
    List<String> parts = new ArrayList<>();
    these.forEach(id -> parts.add(param("id", id)));
    add(parts, "domain", domain);
    add(parts, "sender", sender);
    add(parts, "older-than", olderThan);
    add(parts, "newer-than", newerThan);
    add(parts, "destination", destination);
    if (!states.isEmpty()) {
      parts.add(param("state", String.join(",", states)));
    }
    if (all) {
      parts.add("all=true");
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  private static void add(List<String> parts, String name, String value) {
    if (value != null) {
      parts.add(param(name, value));
    }
  }

  private static String param(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
