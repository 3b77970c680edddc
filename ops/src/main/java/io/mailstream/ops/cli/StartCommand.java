package io.mailstream.ops.cli;

import ch.qos.logback.classic.LoggerContext;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.server.IngressServer;
import io.mailstream.ops.node.DataDirInUseException;
import io.mailstream.ops.node.DataDirLock;
import io.mailstream.ops.node.MailstreamNode;
import io.mailstream.ops.node.Stage;
import io.mailstream.queue.topic.TopicSettingsException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    } catch (ConfigException e) {
      return refuse(2, e.getMessage());
    }
    // First, before anything writes under the data directory (the mail log included): a second
    // node on the same directory must stop here, having touched nothing of the running one's.
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(config.dataDir());
    } catch (DataDirInUseException | UncheckedIOException e) {
      return refuse(1, e.getMessage());
    }
    int refused = checkBeforeKafka(config);
    if (refused != 0) {
      lock.close();
      return refused;
    }
    MailstreamNode node;
    try {
      node = MailstreamNode.start(lock, config, stages, options::load, options.config == null ? List.of() : List.of(options.config));
    } catch (TopicSettingsException e) {
      // One line per setting the existing topics fall short of, each naming topics, expected, found.
      e.problems().forEach(line -> refuse(2, line));
      return 2;
    } catch (IllegalStateException e) {
      return refuse(2, e.getMessage());
    }
    // kill -HUP reloads, as it does sendmail; one node per process, so the handler is the process's.
    io.mailstream.ops.reload.Sighup.install(() -> node.reload("SIGHUP"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      // The mail log is written asynchronously: drain it before the JVM goes.
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
        logging.stop();
      }
      stopped.countDown();
    }, "mailstream-stop"));
    stopped.await();
    return 0;
  }

  /**
   * What can be found wrong without a broker: the addresses the ingress binds (taken or not
   * permitted here, 1) and the files it reads (a config error, 2).
   */
  private int checkBeforeKafka(MailstreamConfig config) {
    // The addresses first: their check logs nothing, so a refused start leaves no mail log.
    if (stages.contains(Stage.ingress)) {
      Optional<String> unusable = ListenPreflight.check(config.listen());
      if (unusable.isPresent()) {
        return refuse(1, unusable.get());
      }
    }
    // Before the first logger (IngressServer has one): the mail log goes under the data
    // directory (logback.xml).
    System.setProperty("mailstream.logdir", config.dataDir().resolve("log").toString());
    if (stages.contains(Stage.ingress)) {
      try {
        IngressServer.checkFiles(config);
      } catch (ConfigException e) {
        return refuse(2, e.getMessage());
      }
    }
    warnIfLocalhost(config.hostname());
    if (stages.contains(Stage.ingress)) {
      authNeverOffered(config).forEach(w -> LoggerFactory.getLogger(StartCommand.class).warn(w));
    }
    return 0;
  }

  /**
   * A listener that requires AUTH (msa) where AUTH is never offered: Mailstream offers it only
   * inside TLS unless auth.allow-plaintext, and without tls.cert there is no TLS. Such a listener
   * refuses every client with 530, which an imported Debian sendmail.mc gives when its
   * starttls.m4 was not included; the node may still be meant to run, so it is a warning.
   */
  public static List<String> authNeverOffered(MailstreamConfig config) {
    if (config.smtp().tls().enabled() || config.smtp().auth().allowPlaintext()) {
      return List.of();
    }
    return config.listen().stream()
        .filter(l -> l.requiresAuth() && !l.implicitTls())
        .map(l -> "listen: " + l + " requires AUTH, but AUTH is never offered there: Mailstream offers it"
            + " only inside TLS and tls.cert and tls.key are not set (sendmail: confSERVER_CERT, Debian's"
            + " starttls.m4), so every client gets 530 5.7.0 Authentication required; set them, or"
            + " auth.allow-plaintext: true")
        .toList();
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

  /** The one line a refused start prints, sendmail style, and its exit status. */
  private static int refuse(int status, String why) {
    System.err.println("mailstream: " + why);
    return status;
  }
}
