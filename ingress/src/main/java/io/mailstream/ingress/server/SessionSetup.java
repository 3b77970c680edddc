package io.mailstream.ingress.server;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.session.Policy;
import java.util.function.Supplier;

/**
 * One version of what a session runs under: the settings and the tables. Taken together when a
 * session starts, so that a reload between two commands cannot give one message two versions.
 */
record SessionSetup(MailstreamConfig config, Policy policy) {
  static Supplier<SessionSetup> fixed(MailstreamConfig config, Policy policy) {
    SessionSetup setup = new SessionSetup(config, policy);
    return () -> setup;
  }
}
