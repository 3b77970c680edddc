package io.mailstream.ops.reload;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.ingress.server.IngressServer;

/**
 * One configuration version as a node runs it: the settings, the rules and the access database
 * built from them, swapped as a whole. Readers take one and keep it for the unit of work in hand
 * (an SMTP session, a router batch), so a message never sees two versions.
 *
 * @param number the cluster-wide version number (the config topic's offset + 1)
 * @param hash the content hash of the yaml and map files (12 hex digits)
 */
public record NodeVersion(long number, String hash, MailstreamConfig config, RuleSet rules, AccessDb access) {

  /** What the ingress's new sessions run under. */
  public IngressServer.Version ingress() {
    return new IngressServer.Version(config, rules, access);
  }

  /** {@code configuration version 3 (9f2c01ab77de)}. */
  public String describe() {
    return "configuration version " + number + " (" + hash + ")";
  }
}
