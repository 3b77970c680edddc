package io.mailstream.core.rules;

import java.util.List;

/**
 * What an alias expands to: the final targets, duplicates removed, in the order found, and the
 * members that failed. A failure does not stop the others, as in sendmail, where each address of a
 * list succeeds or bounces on its own.
 *
 * @param name the name that was expanded, as given
 * @param targets where to deliver
 * @param failures members that cannot be delivered to, each with the reply to bounce with
 */
public record AliasExpansion(String name, List<AliasTarget> targets, List<Failure> failures) {

  public AliasExpansion {
    targets = List.copyOf(targets);
    failures = List.copyOf(failures);
  }

  /**
   * One member that cannot be delivered to.
   *
   * @param target the member as written ({@code |/usr/bin/vacation}, {@code deep12})
   * @param where the entry or include-file line it came from ({@code aliases:12})
   * @param reply why
   */
  public record Failure(String target, String where, ErrorReply reply) {
    @Override
    public String toString() {
      return where + ": " + target + ": " + reply.code() + " " + reply.status() + " " + reply.text();
    }
  }
}
