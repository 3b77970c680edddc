package io.mailstream.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * What the rules did to one address, step by step, for {@code mailstream route --explain} and for
 * debug logs: {@code mailertable:12 .corp.example -> relay:[smtp.corp.example]}. Lookups that
 * matched nothing are recorded too, because "why did my entry not match" is the usual question.
 */
public final class Trace {
  private final List<String> steps = new ArrayList<>();

  /** Records that {@code entry} matched and what it did. */
  public void matched(MapEntry entry, String what) {
    steps.add(entry.where() + " " + entry.key() + " -> " + what);
  }

  /** Records a step that is not a table entry (a rule of sendmail's, a default). */
  public void note(String text) {
    steps.add(text);
  }

  public List<String> steps() {
    return List.copyOf(steps);
  }

  @Override
  public String toString() {
    return String.join("\n", steps);
  }
}
