package io.mailstream.ingress.server;

import io.netty.channel.Channel;
import java.util.EnumSet;

/**
 * Stops and restarts the flow of client input while the session waits: the socket is no longer
 * read (autoRead off, so TCP pushes back on the client) and input already read but not yet framed
 * stays in {@link LineFramer}'s buffer. Input flows again only once every reason to wait is gone.
 */
final class InputGate {
  /** Why input is held back. */
  enum Reason {
    /** More than one body chunk is waiting for the queue. */
    BACKPRESSURE,
    /** The message is being committed; pipelined commands must wait for its reply. */
    COMMIT,
    /** AUTH credentials are being checked; the next command must wait for the verdict. */
    AUTH,
    /** A RCPT waits out confBAD_RCPT_THROTTLE's delay; later commands wait behind it. */
    THROTTLE,
    /**
     * The client does not read its replies: they fill the socket and pass the channel's high water
     * mark. Reading on would keep every reply of a command flood in memory (and burn the event
     * loop on a socket that takes nothing), so the client is read again only once it has read.
     */
    REPLIES,
    /** The connection is closing after a final reply. */
    CLOSING
  }

  private final Channel channel;
  private final LineFramer framer;
  private final EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);

  InputGate(Channel channel, LineFramer framer) {
    this.channel = channel;
    this.framer = framer;
  }

  /**
   * Whether input is held back for the server's own sake (the queue, a credential check, a
   * throttle delay), so that a client silent meanwhile is waiting, not late: the command time-out
   * must not count it. A client that does not read its replies is held back by its own doing.
   */
  boolean heldForServer() {
    return reasons.contains(Reason.BACKPRESSURE) || reasons.contains(Reason.COMMIT)
        || reasons.contains(Reason.AUTH) || reasons.contains(Reason.THROTTLE);
  }

  void pause(Reason reason) {
    reasons.add(reason);
    framer.pause();
    channel.config().setAutoRead(false);
  }

  /**
   * Drops one reason to wait; when none is left, buffered input is framed at once (and may pause
   * the gate again). Must run on the event loop as a task of its own, never from inside a read.
   */
  void resume(Reason reason) {
    if (!reasons.remove(reason) || !reasons.isEmpty() || !channel.isActive()) {
      return;
    }
    channel.config().setAutoRead(true);
    try {
      framer.resume();
    } catch (Exception e) {
      channel.pipeline().fireExceptionCaught(e);
    }
  }
}
