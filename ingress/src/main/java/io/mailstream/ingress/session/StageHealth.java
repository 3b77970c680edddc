package io.mailstream.ingress.session;

import java.util.Optional;

/**
 * Whether the stages that take mail on from this ingress (the router and delivery workers running
 * in the same process) can run. A {@code 250} is a promise to deliver: while a stage is down the
 * session answers {@code 451 4.3.0} at MAIL, so that clients keep their mail and try later,
 * instead of accepting it into a queue that nothing reads.
 */
@FunctionalInterface
public interface StageHealth {
  /** For an ingress with no stage of its own in the process: it never refuses for one. */
  StageHealth NO_STAGES = Optional::empty;

  /** Why a stage cannot run now, for the mail log; empty while every stage can. */
  Optional<String> down();
}
