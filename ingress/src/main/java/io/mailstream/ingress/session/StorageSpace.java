package io.mailstream.ingress.session;

/**
 * Whether the node has room for more mail: free space on its data directory above the floor
 * {@code smtp.min-free-space} (sendmail's confMIN_FREE_BLOCKS). With the embedded broker the queue
 * itself lives there, and Kafka halts a broker whose last log directory fails, so the ingress
 * stops taking mail before the disk is full: {@code 452 4.3.1} at MAIL, and at the end of DATA for
 * a message that would cross the floor, as sendmail checks MAIL's SIZE against MinFreeBlocks.
 */
@FunctionalInterface
public interface StorageSpace {
  /** No floor: every message fits. */
  StorageSpace UNLIMITED = octets -> true;

  /**
   * Whether {@code octets} more can be stored and still leave the floor free; {@code 0} asks
   * whether the node is above the floor at all.
   */
  boolean room(long octets);
}
