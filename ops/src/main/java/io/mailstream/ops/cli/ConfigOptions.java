package io.mailstream.ops.cli;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that build a configuration: {@code --config FILE} first, then the command-line
 * overrides, so that a relay runs without writing a file.
 */
public final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "mailstream.yaml to read first")
  Path config;

  @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "SMTP listener (repeatable; default 127.0.0.1:2525)")
  List<String> listen;

  @Option(names = "--smart-host", paramLabel = "HOST:PORT", description = "next hop for all non-local mail; [host] skips MX look-up")
  String smartHost;

  @Option(names = "--relay-from", paramLabel = "CIDR", description = "client network allowed to relay (repeatable; replaces the loopback default)")
  List<String> relayFrom;

  @Option(names = "--local-domain", paramLabel = "DOMAIN", description = "domain delivered locally (repeatable)")
  List<String> localDomains;

  @Option(names = "--hostname", paramLabel = "NAME", description = "name in banner, EHLO and Received (default: machine FQDN)")
  String hostname;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "broker, state and mailbox directory (default ./data)")
  String dataDir;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "use this Kafka cluster instead of the embedded broker")
  String kafka;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: STARTTLS on every listener (with --tls-key)")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (unencrypted PKCS#8) for --tls-cert")
  Path tlsKey;

  @Option(names = "--users", paramLabel = "FILE", description = "users file for AUTH, written by mailstream passwd")
  Path users;

  @Option(names = "--submission", paramLabel = "ADDR:PORT", description = "add a submission (msa) listener: AUTH required before MAIL")
  List<String> submission;

  /** Reads the file (if any), applies the overrides and validates the result. */
  public MailstreamConfig load() throws ConfigException {
    ConfigBuilder b = new ConfigBuilder();
    if (config != null) {
      ConfigReader.read(config, b);
    }
    try {
      if (listen != null) {
        b.listen(listen);
      }
      if (smartHost != null) {
        b.smartHost(smartHost);
      }
      if (relayFrom != null) {
        b.relayFrom(relayFrom);
      }
      if (localDomains != null) {
        b.localDomains(localDomains);
      }
      if (hostname != null) {
        b.hostname(hostname);
      }
      if (dataDir != null) {
        b.dataDir(dataDir);
      }
      if (kafka != null) {
        b.kafkaBootstrap(kafka);
      }
      if (tlsCert != null) {
        b.smtp().certificate(tlsCert.toAbsolutePath());
      }
      if (tlsKey != null) {
        b.smtp().key(tlsKey.toAbsolutePath());
      }
      if (users != null) {
        b.smtp().usersFile(users.toAbsolutePath());
      }
      for (String s : submission == null ? List.<String>of() : submission) {
        b.addListener(s.strip() + " msa");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("command line: " + e.getMessage().replaceFirst("^([a-z-]+):", "--$1:"));
    }
    return b.build();
  }
}
