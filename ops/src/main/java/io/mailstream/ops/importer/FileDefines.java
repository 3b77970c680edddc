package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The files sendmail reads without a FEATURE: the aliases file (ALIAS_FILE) and relay-domains
 * (confCR_FILE, optional). They are copied when found; the defaults are left out quietly when not.
 */
final class FileDefines {
  private final ImportContext ctx;
  private final Map<String, McEvent.Call> calls;

  FileDefines(ImportContext ctx, Map<String, McEvent.Call> calls) {
    this.ctx = ctx;
    this.calls = calls;
  }

  void finish() {
    aliases();
    relayDomains();
  }

  private void aliases() {
    McEvent.Call c = calls.get("ALIAS_FILE");
    String spec = c == null ? ctx.settingsDir() + "aliases" : ctx.expand(c.arg(1)).strip();
    // AliasFile is a list: "/etc/mail/aliases,/etc/mail/lists", each perhaps with a map class.
    String[] files = spec.split("\\s*,\\s*");
    String first = files[0].replaceFirst("^[a-z]+:", "");
    for (int i = 1; i < files.length; i++) {
      ctx.report(c, NOT_TRANSLATED, "Mailstream reads one aliases file; " + files[i] + " is left out");
    }
    if (first.isEmpty()) {
      return;
    }
    Optional<Path> found = ctx.files.find(first, ctx.settingsDir());
    String origin = c == null ? "sendmail's default AliasFile" : ImportContext.origin(c);
    if (found.isPresent()) {
      String copied = ctx.files.copy(found.get(), "aliases", false);
      ctx.draft.set("routing.aliases", copied, origin + ": " + first + ", copied from " + ctx.files.describe(found.get()));
      new AliasIncludes(ctx, c, copied).report(found.get());
    } else if (c != null) {
      ctx.report(c, NOTE, first + " not found; left out, so local users get no aliases");
    }
  }

  private void relayDomains() {
    McEvent.Call c = calls.get("confCR_FILE");
    String spec = c == null ? "-o " + ctx.settingsDir() + "relay-domains" : ctx.expand(c.arg(1)).strip();
    boolean optional = spec.startsWith("-o ");
    String path = spec.replaceFirst("^-o\\s+", "").split("\\s+")[0];
    if (path.isEmpty()) {
      return;
    }
    Optional<Path> found = ctx.files.find(path, ctx.settingsDir());
    String origin = c == null ? "sendmail's default confCR_FILE" : ImportContext.origin(c);
    if (found.isPresent()) {
      String copied = ctx.files.copy(found.get(), "relay-domains", false);
      ctx.draft.set("routing.relay-domains", copied,
          origin + ": " + path + ", copied from " + ctx.files.describe(found.get()));
    } else if (!optional) {
      ctx.report(c, NOTE, path + " not found; left out");
    }
  }
}
