package io.mailstream.ops.node;

import java.util.List;

/**
 * How a {@link CommandFlood} went.
 *
 * @param written octets of commands the client managed to write
 * @param firstReplies the banner's and HELO's codes, then the first NOOP's whole reply
 */
record FloodResult(long written, List<String> firstReplies) {}
