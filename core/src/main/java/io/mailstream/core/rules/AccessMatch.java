package io.mailstream.core.rules;

import java.util.Objects;

/**
 * The access database entry that decided a check, and what it says.
 *
 * @param entry the line of the access file
 * @param action its value
 */
public record AccessMatch(MapEntry entry, AccessAction action) {
  public AccessMatch {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(action, "action");
  }

  /** {@code access:12 Connect:192.168.212 REJECT}, as logs and traces name the decision. */
  public String describe() {
    return entry.where() + " " + entry.key() + " " + entry.value();
  }
}
