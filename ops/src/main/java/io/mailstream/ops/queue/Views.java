package io.mailstream.ops.queue;

import java.util.List;

/**
 * The admin endpoint's JSON shapes for the queue (README, "Administering the queue"): what {@code mailstream mailq}
 * and {@code show} print and what a dashboard reads. Times are ISO-8601 UTC strings next to their
 * milliseconds; absent values are null.
 */
public final class Views {
  private Views() {}

  /** {@code GET /queue}: the messages selected, in arrival order. */
  public record Listing(boolean caughtUp, int count, List<Message> messages) {}

  /**
   * One message.
   *
   * @param state {@code queued}, {@code deferred}, {@code held}, {@code delivered}, {@code bounced}
   *     or {@code deleted}: held and deleted first, then the least advanced recipient's
   * @param delivering true while this node has an attempt for it under way
   */
  public record Message(
      String queueId,
      long size,
      String arrival,
      long arrivalMillis,
      String sender,
      String client,
      String messageId,
      String state,
      boolean held,
      boolean deleted,
      boolean delivering,
      List<Recipient> recipients) {}

  /**
   * One recipient.
   *
   * @param destination the routed destination key ({@code relay:[smtp.example]:25}), null until routed
   * @param lastReply the last reply as one line ({@code 451 4.7.1 Try again later})
   */
  public record Recipient(
      String address,
      String state,
      String destination,
      int attempts,
      String nextAttempt,
      String lastReply,
      String relay,
      String updated) {}

  /** {@code GET /queue/message/ID}: one message with its header section and event history. */
  public record Detail(Message message, String headers, List<History> history) {}

  /**
   * One event of a message, oldest first.
   *
   * @param event {@code accepted}, {@code routed}, {@code requeued}, {@code attempted}, {@code
   *     delivered}, {@code deferred}, {@code bounced}, {@code hold}, {@code release}, {@code delete},
   *     {@code flush}, {@code requeue}
   * @param recipient the recipient it is about, or null for the whole message
   */
  public record History(String at, long atMillis, String event, String recipient, String text) {}

  /**
   * {@code POST /queue/hold} and the other orders: what was done.
   *
   * @param count how many messages the order applies to
   * @param applied whether this node had applied the order when it answered
   * @param delivering those with an attempt under way on this node: it completes (it may be past
   *     DATA), only attempts that start later obey the order
   */
  public record OrderResult(String verb, int count, List<String> queueIds, boolean applied, List<String> delivering) {}

  /**
   * {@code POST /queue/replay}: what a replay sent, or with {@code dryRun} would send.
   *
   * @param horizon the arrival of the oldest mail still in the topics (ISO-8601), or null when
   *     retention has removed nothing yet
   */
  public record ReplayResult(boolean dryRun, int messages, int recipients, List<Replayed> replayed,
      List<Skipped> skipped, String horizon) {}

  /** One message replayed: the original, its new copy (null in a dry run) and the recipients sent to. */
  public record Replayed(String queueId, String newQueueId, List<String> recipients) {}

  /** A recipient (or, when null, a whole message) a replay left out, and why. */
  public record Skipped(String queueId, String recipient, String reason) {}

  /** {@code GET /dead-letters}: the dead-letter topic's records, oldest first. */
  public record DeadLetterListing(int count, List<DeadLetter> deadLetters) {}

  /**
   * One record a stage could not process.
   *
   * @param id where it is on the dead-letter topic, {@code partition@offset}: what replay takes
   * @param source where it came from, {@code topic-partition@offset}
   * @param replayed whether {@code dead-letters replay} has written it back already
   */
  public record DeadLetter(String id, String source, String reason, String key, String at, int size, boolean replayed) {}

  /** {@code POST /dead-letters/replay}: the records written back to their topics, and those left alone. */
  public record DeadLetterReplay(int count, List<String> replayed, List<Skipped> skipped) {}
}
