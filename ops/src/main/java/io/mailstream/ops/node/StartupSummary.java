package io.mailstream.ops.node;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ops.reload.NodeVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The few lines a node prints once it runs: what runs, where it listens, where mail goes, where
 * its files are, where its admin endpoint answers, which Kafka and which configuration version.
 * A new user reads these to know what they just started; nothing else at INFO says it again.
 */
final class StartupSummary {
  private StartupSummary() {}

  /**
   * The lines, the first one starting with the phrase scripts wait for ({@code running stages}).
   *
   * @param listening the bound addresses, in {@code listen} order; empty without an ingress
   * @param admin the admin endpoint's address
   */
  static String of(String nodeId, Set<Stage> stages, List<InetSocketAddress> listening, NodeVersion version,
      String kafka, InetSocketAddress admin) {
    MailstreamConfig c = version.config();
    StringBuilder out = new StringBuilder();
    out.append("Mailstream ").append(c.hostname()).append(" (node ").append(nodeId).append(") running stages ")
        .append(stages.stream().sorted().map(Enum::name).collect(Collectors.joining(", ")));
    if (!listening.isEmpty()) {
      out.append("\n  listening on ");
      for (int i = 0; i < listening.size(); i++) {
        InetSocketAddress a = listening.get(i);
        out.append(i == 0 ? "" : ", ").append(a.getAddress().getHostAddress()).append(':').append(a.getPort())
            .append(" (").append(roleOf(c, i)).append(')');
      }
    }
    if (stages.contains(Stage.router) || stages.contains(Stage.ingress)) {
      out.append("\n  mail goes to ").append(c.smartHost() == null
          ? "each domain's MX hosts (no smart host set)"
          : "the smart host " + c.smartHost() + " (mailer " + c.smartHostMailer() + ")");
      if (c.routing().mailertable() != null) {
        out.append(", except where the mailertable says otherwise");
      }
      if (!c.localDomains().isEmpty()) {
        out.append("; local domains ").append(String.join(", ", c.localDomains()));
      }
    }
    Path data = c.dataDir().toAbsolutePath().normalize();
    out.append("\n  data directory ").append(data).append(" (mail log ").append(data.resolve("log").resolve("maillog"))
        .append(", Kafka's log ").append(data.resolve("log").resolve("kafka.log")).append(')');
    out.append("\n  admin endpoint http://").append(admin.getAddress().getHostAddress()).append(':').append(admin.getPort())
        .append(" (/metrics, /health/ready, /health/live)");
    out.append("\n  Kafka ").append(c.kafka().embedded() ? "embedded broker at " + kafka + " (data " + data.resolve("kafka") + ")"
        : "cluster " + kafka);
    out.append("\n  ").append(version.describe());
    return out.toString();
  }

  private static String roleOf(MailstreamConfig c, int index) {
    return index < c.listen().size() ? c.listen().get(index).role().name().toLowerCase(java.util.Locale.ROOT) : "mta";
  }
}
