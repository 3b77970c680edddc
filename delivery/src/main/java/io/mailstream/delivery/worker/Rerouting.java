package io.mailstream.delivery.worker;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * What a delivery worker needs to hand recipients back to the router when their routing is out of
 * date.
 *
 * @param workerId stable per worker (node id and worker index): the hand-back producer's
 *     transactional id derives from it, so that a restarted worker aborts at once a hand-back its
 *     predecessor left open, instead of read_committed readers waiting for it to time out
 * @param currentFingerprint the routing fingerprint of the rules in force now (the node's running
 *     configuration version with its command-line options); null when the worker is not told
 */
public record Rerouting(String workerId, Supplier<String> currentFingerprint) {

  /**
   * For a worker that is not told the rules (tests, tools): it hands back only what the router could
   * not place, never because the rules changed; its id is random, so it is for one run only.
   */
  public static Rerouting unknownRules() {
    return new Rerouting("standalone-" + UUID.randomUUID(), () -> null);
  }
}
