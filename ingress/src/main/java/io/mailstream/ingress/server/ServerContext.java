package io.mailstream.ingress.server;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.publish.MessagePublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every connection of one server shares.
 *
 * @param config the node's configuration
 * @param publisher where accepted mail goes
 * @param clock for Received headers and acceptance times
 * @param queueIds the source of queue ids
 * @param idleTimeout how long a client may stay silent
 */
record ServerContext(
    MailstreamConfig config,
    MessagePublisher publisher,
    Clock clock,
    Supplier<String> queueIds,
    Duration idleTimeout) {}
