package io.mailstream.ingress.session;

import io.mailstream.core.smtp.Reply;

/**
 * What to do with the chunk that follows a BDAT command (RFC 3030 2). Every chunk whose size can
 * be read is read, even a refused one, so that none of its octets is ever taken for a command.
 *
 * @param size octets to read after the command line; -1 when none can be (the reply closes)
 * @param keep whether the octets belong to the message, or are read and thrown away
 * @param last whether the message ends with this chunk
 * @param refusal the reply once the chunk is read (or at once, when it closes the connection);
 *     null when the chunk is accepted and the reply comes from the session at its end
 */
public record ChunkPlan(long size, boolean keep, boolean last, Reply refusal) {

  static ChunkPlan accept(BdatRequest b) {
    return new ChunkPlan(b.size(), true, b.last(), null);
  }

  static ChunkPlan discard(BdatRequest b, Reply refusal) {
    return new ChunkPlan(b.size(), false, false, refusal);
  }
}
