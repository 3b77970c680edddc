package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code :include:} files an aliases file names. The copied aliases file keeps their paths, and
 * Mailstream reads them, as sendmail did, when mail for the alias is routed; a file that is not
 * there then keeps that mail waiting (451 4.3.0). So each one is reported: where it is on the old
 * machine and where it must be on this one.
 */
final class AliasIncludes {
  // An alias line's name and an :include: member, quoted or not (seed 002: admin-list: ":include:/home/...").
  private static final Pattern ALIAS = Pattern.compile("^([^\\s#:][^:]*):");
  private static final Pattern INCLUDE = Pattern.compile(":include:\\s*([^,\"\\s]+)", Pattern.CASE_INSENSITIVE);

  private final ImportContext ctx;
  private final McEvent.Call aliasFile;
  private final String copied;

  /**
   * @param aliasFile the ALIAS_FILE define, or null for sendmail's default
   * @param copied the aliases file's name in the output directory
   */
  AliasIncludes(ImportContext ctx, McEvent.Call aliasFile, String copied) {
    this.ctx = ctx;
    this.aliasFile = aliasFile;
    this.copied = copied;
  }

  void report(Path aliases) {
    List<String> lines;
    try {
      lines = Files.readAllLines(aliases, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return; // the aliases file itself is checked when the config is loaded
    }
    String alias = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      Matcher name = ALIAS.matcher(line);
      if (name.find()) {
        alias = name.group(1).strip();
      }
      Matcher m = INCLUDE.matcher(line);
      while (m.find()) {
        include(copied + ":" + (i + 1), alias, m.group(1));
      }
    }
  }

  private void include(String where, String alias, String path) {
    String what = where + ": " + alias + ": :include:" + path;
    if (!path.startsWith("/")) {
      say(NOT_TRANSLATED, what + " is relative, so Mailstream reads it beside the copied aliases file:"
          + " copy it there, or mail for " + alias + " waits (451 4.3.0)");
      return;
    }
    Optional<Path> found = ctx.files.onOldMachine(path);
    if (found.isPresent() && ctx.files.rootIsThisMachine()) {
      say(NOTE, what + " is read from " + path + " when mail for " + alias + " is routed, as sendmail read it");
    } else if (found.isPresent()) {
      say(NOTE, what + " is in the old machine's files (" + ctx.files.describe(found.get()) + "): put it at "
          + path + " on this machine, where Mailstream reads it when mail for " + alias
          + " is routed; until then that mail waits (451 4.3.0)");
    } else {
      say(NOT_TRANSLATED, what + " is not under --root: until it is at " + path + " on this machine, mail for "
          + alias + " waits (451 4.3.0)");
    }
  }

  private void say(String status, String text) {
    if (aliasFile != null) {
      ctx.report(aliasFile, status, text);
    } else {
      ctx.report(0, "ALIAS_FILE", status, "sendmail's default AliasFile: " + text);
    }
  }
}
