package io.mailstream.queue.topic;

import io.mailstream.core.config.KafkaSettings;

/**
 * The names of Mailstream's topics (docs/events.md), derived from the configured prefix so that
 * several Mailstream installations can share one Kafka cluster.
 */
public final class Topics {
  private final KafkaSettings settings;

  public Topics(KafkaSettings settings) {
    this.settings = settings;
  }

  /** Body chunks of accepted messages, keyed by queue id. */
  public String bodies() {
    return settings.topic("bodies");
  }

  /** MessageAccepted events, keyed by queue id: the commit point of a message. */
  public String accepted() {
    return settings.topic("accepted");
  }

  /** RecipientRouted events, keyed by queue id and destination. */
  public String routed() {
    return settings.topic("routed");
  }

  /** DeliveryAttempted, Delivered, Deferred and Bounced events, keyed by queue id. */
  public String outcomes() {
    return settings.topic("outcomes");
  }

  /** Compacted changelog of the delivery stage's retry state, keyed by queue id and recipient. */
  public String retryState() {
    return settings.topic("retry-state");
  }

  /** Records a stage could not decode, with the reason in a header; kept for inspection. */
  public String deadLetter() {
    return settings.topic("dead-letter");
  }

  /**
   * The cluster's configuration versions (mailstream.yaml and the map files, as a {@code
   * ConfigBundle}), one partition, compacted under one key: its last record is the version every
   * node runs, and its offset + 1 is that version's number.
   */
  public String config() {
    return settings.topic("config");
  }

  /**
   * Administrators' orders about queued messages (hold, release, delete, flush, requeue; a {@code
   * QueueCommand}), one partition so that every node applies them in one order, kept as long as
   * mail.
   */
  public String control() {
    return settings.topic("control");
  }

  public KafkaSettings settings() {
    return settings;
  }
}
