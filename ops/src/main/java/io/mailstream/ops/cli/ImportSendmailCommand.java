package io.mailstream.ops.cli;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.ops.importer.ImportException;
import io.mailstream.ops.importer.ImportResult;
import io.mailstream.ops.importer.SendmailImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mailstream import-sendmail}: a mailstream.yaml from a sendmail.mc and its map files. */
@Command(
    name = "import-sendmail",
    mixinStandardHelpOptions = true,
    description = {
      "Translate DIR/sendmail.mc into OUTDIR/mailstream.yaml and copy the maps it names beside it.",
      "Prints a line for each setting it does not translate.",
      "Exit status: 0 done; 1 written, but it does not load yet (a map was not found); 2 the .mc cannot be read."
    })
public final class ImportSendmailCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "directory with sendmail.mc and its maps (a copy of /etc/mail)")
  Path dir;

  @Option(names = "--out", required = true, paramLabel = "OUTDIR", description = "where to write mailstream.yaml and the copied maps")
  Path out;

  @Option(names = "--force", description = "replace files already in OUTDIR")
  boolean force;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "look for the .mc's absolute paths under DIR, a copy of the old machine's file system (default /)")
  Path root = Path.of("/");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    ImportResult result;
    try {
      result = SendmailImporter.read(dir, root);
      result.writeTo(out, force);
    } catch (ImportException e) {
      stderr.println("mailstream: " + e.getMessage());
      stderr.flush();
      return 2;
    }
    result.report().forEach(stdout::println);
    Path config = out.resolve("mailstream.yaml");
    stdout.println("wrote " + config + (result.copied().isEmpty() ? "" : " and " + String.join(", ", result.copied())));
    stdout.flush();
    // The import is only done when `mailstream route --config` can use it: load it the same way.
    try {
      ConfigBuilder b = new ConfigBuilder();
      ConfigReader.read(config, b);
      MailstreamConfig loaded = b.build();
      RuleSet.load(loaded);
      // `start` reads the access file too.
      if (loaded.routing().access() != null) {
        AccessDb.load(loaded.routing().access());
      }
    } catch (ConfigException | MapFileException e) {
      stderr.println("mailstream: " + config + " does not load yet: " + e.getMessage());
      stderr.flush();
      return 1;
    }
    return 0;
  }
}
