package io.mailstream.queue.topic;

import java.util.List;

/**
 * Existing topics are weaker than this node's configuration asks (fewer partitions or replicas, a
 * lower min.insync.replicas, no fsync where fsync is asked): the node must not run on them, as it
 * would promise a durability it does not have. One line per setting, each naming the topics, what
 * the configuration expects and what was found.
 */
public final class TopicSettingsException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public TopicSettingsException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per setting. */
  public List<String> problems() {
    return problems;
  }
}
