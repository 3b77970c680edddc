package io.mailstream.ops.cli;

import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.server.IngressServer;
import io.mailstream.ops.node.MailstreamNode;
import io.mailstream.ops.node.Stage;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mailstream start}: runs the relay until interrupted. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start Mailstream: by default every stage and an embedded Kafka broker in this JVM.",
      "With --kafka, use an existing cluster; with --stages, run only some stages."
    })
public final class StartCommand implements Callable<Integer> {
  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(
      names = "--stages",
      split = ",",
      paramLabel = "STAGE",
      description = "stages to run: ingress, router, delivery (default: all)")
  Set<Stage> stages = EnumSet.allOf(Stage.class);

  @Override
  public Integer call() throws Exception {
    MailstreamConfig config;
    try {
      config = options.load();
      // Before the first logger (IngressServer has one): the mail log goes under the data
      // directory (logback.xml).
      System.setProperty("mailstream.logdir", config.dataDir().resolve("log").toString());
      if (stages.contains(Stage.ingress)) {
        IngressServer.checkFiles(config);
      }
      warnIfLocalhost(config.hostname());
    } catch (ConfigException e) {
      System.err.println("mailstream: " + e.getMessage());
      return 2;
    }
    MailstreamNode node;
    try {
      node = MailstreamNode.start(config, stages, options::load, options.config == null ? List.of() : List.of(options.config));
    } catch (IllegalStateException e) {
      System.err.println("mailstream: " + e.getMessage());
      return 2;
    }
    // kill -HUP reloads, as it does sendmail; one node per process, so the handler is the process's.
    io.mailstream.ops.reload.Sighup.install(() -> node.reload("SIGHUP"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "mailstream-stop"));
    stopped.await();
    return 0;
  }

  /**
   * A relay that calls itself {@code localhost} (a hosts file that lists the machine's name after
   * localhost on 127.0.0.1, or no name at all) greets, stamps Received headers and signs bounces
   * with a name that means nothing elsewhere. It grants nobody anything (only --relay-from and
   * the access db's Connect: entries do), so it is a warning, not an error: the first command in
   * the README must work on any machine.
   */
  private static void warnIfLocalhost(String hostname) {
    String name = hostname.toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.startsWith("localhost.")) {
      LoggerFactory.getLogger(StartCommand.class)
          .warn(
              "this relay's name is '{}': the machine's name did not resolve to a qualified one;"
                  + " set --hostname (sendmail's $j) to the name the world knows it by",
              hostname);
    }
  }
}
