package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.MapEntry;
import io.mailstream.core.rules.MapFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** FEATURE(...): sendmail's maps become routing keys, the masquerading features masquerade keys. */
final class FeatureTranslator {
  private static final Map<String, String> FLAGS =
      Map.of(
          "virtuser_entire_domain", "routing.virtuser-entire-domain",
          "generics_entire_domain", "routing.generics-entire-domain",
          "masquerade_entire_domain", "masquerade.entire-domain",
          "masquerade_envelope", "masquerade.envelope",
          "allmasquerade", "masquerade.all",
          "always_add_domain", "masquerade.always-add-domain",
          "limited_masquerade", "masquerade.limited");

  private final ImportContext ctx;
  private final Map<String, McEvent.Call> seen = new LinkedHashMap<>();

  FeatureTranslator(ImportContext ctx) {
    this.ctx = ctx;
  }

  /** The FEATURE call that turned {@code name} on, if any. */
  Optional<McEvent.Call> call(String name) {
    return Optional.ofNullable(seen.get(name));
  }

  void feature(McEvent.Call c) {
    String name = c.arg(0);
    seen.put(name, c);
    switch (name) {
      case "mailertable", "virtusertable", "genericstable", "domaintable" -> map(c, name);
      case "access_db" -> map(c, "access");
      case "relay_hosts_only" -> ctx.draft.set("routing.relay-hosts-only", true, ImportContext.origin(c));
      case "greet_pause" -> greetPause(c);
      // The copy is readable by its owner only: it holds the passwords for the next hops.
      case "authinfo" -> map(c, "authinfo", true);
      case "use_cw_file" -> {
        // Read when sendmail.cf is generated, with confCW_FILE as it stands then: see finish().
      }
      default -> {
        String key = FLAGS.get(name);
        if (key != null) {
          ctx.draft.set(key, true, ImportContext.origin(c));
          if (name.equals("always_add_domain") && !c.arg(1).isEmpty()) {
            ctx.report(c, NOT_TRANSLATED, "its domain argument: Mailstream adds MASQUERADE_AS or the hostname");
          }
        } else {
          Reasons.Reason r = Reasons.feature(name);
          ctx.report(c, r.status(), r.text());
        }
      }
    }
  }

  /** FEATURE(use_cw_file): class w from confCW_FILE, read when sendmail.cf is generated. */
  void finish() throws ImportException {
    McEvent.Call cw = seen.get("use_cw_file");
    if (cw == null) {
      return;
    }
    ImportContext.Definition d = ctx.definition("confCW_FILE");
    String spec = d == null ? ctx.settingsDir() + "local-host-names" : ctx.expand(d.value());
    // A class file may carry -o and a scanf pattern: "-o /etc/mail/local-host-names %[^#]".
    boolean optional = spec.strip().startsWith("-o ");
    String[] words = spec.strip().replaceFirst("^-o\\s+", "").split("\\s+");
    String path = words[0];
    Optional<Path> found = ctx.files.find(path, ctx.settingsDir());
    if (found.isPresent()) {
      String copied = ctx.files.copy(found.get(), "local-host-names", false);
      ctx.draft.set("routing.local-host-names", copied,
          ImportContext.origin(cw) + ": " + path + ", copied from " + ctx.files.describe(found.get()));
      List<String> later = words.length > 1 ? List.of() : MapFiles.laterWords(found.get());
      if (!later.isEmpty()) {
        // Without a scanf pattern ("Fw/etc/mail/local-host-names") sendmail takes the first word
        // of each line; Mailstream reads them all.
        ctx.report(cw, NOTE, "sendmail read only the first name of each line of " + path
            + ", Mailstream reads them all: " + String.join(", ", later) + " become local too");
      }
    } else if (optional) {
      ctx.report(cw, NOTE, path + " not found; left out, as sendmail does without an optional (-o) class file");
    } else {
      ctx.draft.set("routing.local-host-names", path, ImportContext.origin(cw) + ": " + path + ", not found");
      ctx.report(cw, NOTE, notFound(path));
    }
  }

  private void map(McEvent.Call c, String name) {
    map(c, name, false);
  }

  private void map(McEvent.Call c, String name, boolean secret) {
    MapSpec spec = MapSpec.parse(ctx.expand(c.arg(1)), ctx.settingsDir() + name);
    if (!spec.isFile()) {
      ctx.report(c, NOT_TRANSLATED, "map type " + spec.type() + " is not a file Mailstream can read");
      return;
    }
    String path = spec.textFile();
    Optional<Path> found = ctx.files.find(path, ctx.settingsDir());
    String key = "routing." + name;
    if (found.isPresent()) {
      String copied = ctx.files.copy(found.get(), name, secret);
      ctx.draft.set(key, copied,
          ImportContext.origin(c) + ": " + path + ", copied from " + ctx.files.describe(found.get()));
      if (name.equals("access")) {
        accessNotes(c, found.get(), copied);
      }
    } else if (spec.optional()) {
      ctx.report(c, NOTE, path + " not found; left out, as sendmail does without an optional (-o) map");
    } else {
      ctx.draft.set(key, path, ImportContext.origin(c) + ": " + path + ", not found");
      ctx.report(c, NOTE, notFound(path));
    }
  }

  // cf/README: "FEATURE(`greet_pause', `5000')" pauses 5000 milliseconds before the greeting;
  // GreetPause: access entries override it per client. Without an argument only those entries
  // pause (greet_pause.m4 returns no pause when none matches, and requires access_db).
  private void greetPause(McEvent.Call c) {
    String arg = ctx.expand(c.arg(1)).strip();
    if (arg.isEmpty()) {
      ctx.report(c, NOTE, "without an argument only clients with GreetPause: entries in the access file"
          + " (routing.access) are paused, in Mailstream as in sendmail");
      return;
    }
    long ms;
    try {
      ms = Long.parseLong(arg);
    } catch (NumberFormatException e) {
      ctx.report(c, NOT_TRANSLATED, "not a number of milliseconds: '" + arg + "'");
      return;
    }
    if (ms < 0) {
      ctx.report(c, NOT_TRANSLATED, "a negative pause: " + ms);
      return;
    }
    ctx.draft.set("smtp.greet-pause", ms + "ms", ImportContext.origin(c) + ": milliseconds");
    if (ms > 300_000) {
      ctx.report(c, NOTE, "Mailstream pauses at most 5 minutes");
    }
  }

  // What of the access file Mailstream leaves unused, said now rather than in the node's first log.
  private void accessNotes(McEvent.Call c, Path file, String copied) {
    AccessDb db;
    try {
      db = AccessDb.load(file);
    } catch (MapFileException e) {
      ctx.report(c, NOTE, copied + " does not load: " + e.getMessage().replace(file.toString(), copied));
      return;
    }
    Map<String, List<String>> tags = new LinkedHashMap<>();
    for (MapEntry e : db.unused()) {
      String tag = e.key().substring(0, e.key().indexOf(':') + 1);
      tags.computeIfAbsent(tag, t -> new ArrayList<>()).add(e.where().replaceFirst("^[^:]*", copied));
    }
    tags.forEach((tag, where) -> ctx.report(c, NOT_TRANSLATED, tag + " entries (" + String.join(", ", where)
        + ") belong to sendmail features Mailstream does not have; they have no effect"));
    for (AccessDb.Ignored i : db.ignored()) {
      ctx.report(c, NOTE, i.entry().where().replaceFirst("^[^:]*", copied) + ": " + i.reason() + "; the entry has no effect");
    }
  }

  private String notFound(String path) {
    String db = ctx.files.onlyDatabase(path, ctx.settingsDir())
        ? "; only its database is there: write the text with makemap -u"
        : "";
    return path + " not found next to sendmail.mc, under MAIL_SETTINGS_DIR or at its path" + db
        + "; the config names it as it is";
  }
}
