package io.mailstream.loadtest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks a run under faults against what the clients were told: every message acknowledged with
 * 2xx reached the sink (none lost), none refused with 5xx or never handed over did; duplicates and
 * the outcomes a client cannot know (connection lost after the final dot, 4xx after it) are counted
 * apart. Reads the generators' {@code --outcomes} files and the sink's {@code --ids} file; the last
 * line is {@code FAULTCHECK key=value ...}; exit status 0 when nothing was lost or wrongly delivered.
 */
@Command(name = "faultcheck", mixinStandardHelpOptions = true,
    description = "Compare load generators' outcomes with what the counting sink received.")
public final class FaultCheck implements Callable<Integer> {
  @Option(names = "--outcomes", required = true, description = "A generator's --outcomes file (repeatable).")
  List<Path> outcomeFiles;

  @Option(names = "--delivered", required = true, description = "The sink's --ids file.")
  Path delivered;

  @Override
  public Integer call() throws Exception {
    Figures f = read(outcomeFiles, delivered);
    System.out.print(f.render());
    return f.ok() ? 0 : 1;
  }

  /** Reads the generators' outcome files and the sink's Message-IDs, and counts. */
  static Figures read(List<Path> outcomeFiles, Path delivered) throws java.io.IOException {
    Map<String, Integer> copies = new HashMap<>();
    for (String id : Files.readAllLines(delivered, StandardCharsets.US_ASCII)) {
      if (!id.isBlank()) {
        copies.merge(id.strip(), 1, Integer::sum);
      }
    }
    Figures f = new Figures();
    for (Path file : outcomeFiles) {
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] parts = line.split(" ", 3);
        if (parts.length >= 2) {
          f.add(Outcomes.Kind.valueOf(parts[1]), copies.getOrDefault(parts[0], 0), parts[0]);
        }
      }
    }
    f.sinkCopies = copies.values().stream().mapToLong(Integer::longValue).sum();
    f.unknownIds = copies.keySet().stream().filter(id -> !f.seen.containsKey(id)).count();
    return f;
  }

  /** The counts, by what the client was told and how often the sink got the message. */
  static final class Figures {
    final Map<Outcomes.Kind, long[]> byKind = new EnumMap<>(Outcomes.Kind.class); // {count, delivered, extra copies}
    final Map<String, Boolean> seen = new HashMap<>();
    long lost;
    long wronglyDelivered;
    long sinkCopies;
    long unknownIds;
    String firstLost;
    String firstWrong;

    void add(Outcomes.Kind kind, int copies, String id) {
      seen.put(id, Boolean.TRUE);
      long[] k = byKind.computeIfAbsent(kind, x -> new long[3]);
      k[0]++;
      if (copies > 0) {
        k[1]++;
        k[2] += copies - 1;
      }
      if (kind == Outcomes.Kind.ACK && copies == 0) {
        lost++;
        firstLost = firstLost == null ? id : firstLost;
      }
      boolean mustNotArrive = kind == Outcomes.Kind.REFUSED_PERM || kind == Outcomes.Kind.NOT_HANDED_OVER
          || kind == Outcomes.Kind.NOT_SENT;
      if (mustNotArrive && copies > 0) {
        wronglyDelivered++;
        firstWrong = firstWrong == null ? id + " (" + kind + ")" : firstWrong;
      }
    }

    /** Nothing acknowledged was lost, nothing refused was delivered, the sink got nothing foreign. */
    boolean ok() {
      return lost == 0 && wronglyDelivered == 0 && unknownIds == 0;
    }

    long get(Outcomes.Kind kind, int i) {
      long[] k = byKind.get(kind);
      return k == null ? 0 : k[i];
    }

    String render() {
      StringBuilder b = new StringBuilder();
      long sent = byKind.values().stream().mapToLong(k -> k[0]).sum() - get(Outcomes.Kind.NOT_SENT, 0);
      long duplicates = byKind.values().stream().mapToLong(k -> k[2]).sum();
      b.append(String.format(Locale.ROOT, "%-16s %9s %9s %9s%n", "client was told", "messages", "delivered", "extra"));
      for (Outcomes.Kind kind : Outcomes.Kind.values()) {
        b.append(String.format(Locale.ROOT, "%-16s %9d %9d %9d%n", kind, get(kind, 0), get(kind, 1), get(kind, 2)));
      }
      b.append(String.format(Locale.ROOT, "sink received %d copies; %d with a Message-ID no generator sent%n",
          sinkCopies, unknownIds));
      if (firstLost != null) {
        b.append("LOST (acknowledged, never delivered), first: ").append(firstLost).append('\n');
      }
      if (firstWrong != null) {
        b.append("DELIVERED ALTHOUGH REFUSED OR NOT HANDED OVER, first: ").append(firstWrong).append('\n');
      }
      long unknowable = get(Outcomes.Kind.LOST_AFTER_DOT, 0) + get(Outcomes.Kind.TEMP_AFTER_DOT, 0);
      long unknowableDelivered = get(Outcomes.Kind.LOST_AFTER_DOT, 1) + get(Outcomes.Kind.TEMP_AFTER_DOT, 1);
      b.append(String.format(Locale.ROOT,
          "FAULTCHECK sent=%d acknowledged=%d delivered=%d duplicated=%d lost=%d unknowable=%d"
              + " unknowable_delivered=%d refused=%d wrongly_delivered=%d verdict=%s%n",
          sent, get(Outcomes.Kind.ACK, 0), get(Outcomes.Kind.ACK, 1), duplicates, lost, unknowable,
          unknowableDelivered, get(Outcomes.Kind.REFUSED_PERM, 0) + get(Outcomes.Kind.NOT_HANDED_OVER, 0),
          wronglyDelivered, ok() ? "PASS" : "FAIL"));
      return b.toString();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new FaultCheck()).execute(args));
  }
}
