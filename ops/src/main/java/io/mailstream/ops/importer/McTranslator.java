package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the calls of a sendmail.mc into mailstream.yaml keys, in file order, and reports what it
 * leaves out. FEATURE and define have their own translators; the class macros (MASQUERADE_DOMAIN,
 * GENERICS_DOMAIN, ...), DAEMON_OPTIONS and the sendmail.cf text m4 passes through are handled here.
 */
final class McTranslator {
  private static final Pattern CW_LINE = Pattern.compile("Cw\\s*(\\S.*)");

  private final ImportContext ctx;
  private final FeatureTranslator features;
  private final DaemonTranslator daemons;
  private final DefineTranslator defines;
  // The cfhead.m4 macro that diverted the sendmail.cf text that follows (LOCAL_CONFIG, ...).
  private String section;

  McTranslator(ImportContext ctx) {
    this.ctx = ctx;
    this.features = new FeatureTranslator(ctx);
    this.daemons = new DaemonTranslator(ctx);
    this.defines = new DefineTranslator(ctx, daemons);
    ctx.draft.add("local-domains", "localhost", "sendmail's class w always holds localhost (Cwlocalhost in cf/m4/proto.m4)");
  }

  void handle(McEvent e) throws ImportException {
    if (e instanceof McEvent.Text t) {
      text(t);
      return;
    }
    McEvent.Call c = (McEvent.Call) e;
    if (c.afterHash()) {
      ctx.report(c, NOTE, "'#' does not comment it out (sendmail's cf.m4 turns m4 comments off), so it is used; use dnl");
    }
    call(c);
  }

  private void call(McEvent.Call c) throws ImportException {
    switch (c.name()) {
      case "define" -> defines.define(c);
      case "undefine" -> defines.undefine(c);
      case "FEATURE" -> features.feature(c);
      case "DAEMON_OPTIONS" -> daemons.options(c, ctx.expand(c.arg(0)));
      case "DOMAIN" -> domain(c);
      case "OSTYPE" -> ostype(c);
      case "include", "sinclude" -> include(c);
      case "MASQUERADE_AS" -> masqueradeAs(c);
      case "MASQUERADE_DOMAIN" -> names(c, "masquerade.domains");
      case "MASQUERADE_DOMAIN_FILE" -> file(c, "masquerade.domains");
      case "MASQUERADE_EXCEPTION" -> names(c, "masquerade.exceptions");
      case "MASQUERADE_EXCEPTION_FILE" -> file(c, "masquerade.exceptions");
      case "EXPOSED_USER" -> names(c, "masquerade.exposed-users");
      case "EXPOSED_USER_FILE" -> file(c, "masquerade.exposed-users");
      case "GENERICS_DOMAIN" -> names(c, "routing.generics-domains");
      case "GENERICS_DOMAIN_FILE" -> file(c, "routing.generics-domains");
      case "VIRTUSER_DOMAIN" -> names(c, "routing.virtuser-domains");
      case "VIRTUSER_DOMAIN_FILE" -> file(c, "routing.virtuser-domains");
      case "LOCAL_DOMAIN" -> names(c, "local-domains");
      default -> other(c);
    }
  }

  /** Translates what is left once the whole .mc is read: what sendmail.cf's generation reads last. */
  void finish() throws ImportException {
    features.finish();
    defines.finish();
  }

  /** Comments for the top of mailstream.yaml about what the .mc leaves to sendmail's defaults. */
  List<String> defaults() {
    List<String> out = new ArrayList<>();
    if (!daemons.any()) {
      out.add("listen is not set: sendmail.mc has no DAEMON_OPTIONS, so sendmail listened on port 25 of");
      out.add("every address; Mailstream's default is 127.0.0.1:2525.");
    }
    if (features.call("no_default_msa").isEmpty()) {
      // cf/m4/proto.m4 adds "Port=587, Name=MSA, M=E" unless FEATURE(no_default_msa).
      out.add("Without FEATURE(no_default_msa) sendmail also listened on port 587 of every address, as");
      out.add("MSA; add it to listen if mail clients submit there.");
    }
    if (!ctx.draft.has("smart-host")) {
      out.add("smart-host is not set: as in sendmail without SMART_HOST, mail that no mailertable entry");
      out.add("routes goes to each domain's MX hosts.");
    }
    return out;
  }

  private void other(McEvent.Call c) {
    if (Reasons.SILENT_MACROS.contains(c.name())) {
      if (c.name().startsWith("LOCAL_") || c.name().equals("MAILER_DEFINITIONS")) {
        section = c.name();
      }
      if (c.name().equals("MAILER") && c.arg(0).equals("smtp")) {
        defines.mailerSmtp(c);
      }
      return;
    }
    Reasons.Reason r = Reasons.macro(c.name());
    ctx.report(c, r.status(), r.text());
  }

  // cf/domain/generic.m4, which many .mc files use as it is: its settings are translated as if the
  // .mc held them. Other domain files are site-specific and not read.
  private void domain(McEvent.Call c) throws ImportException {
    if (!c.arg(0).equals("generic")) {
      ctx.report(c, NOT_TRANSLATED, "cf/domain/" + c.arg(0) + ".m4 is not read; carry its settings over by hand");
      return;
    }
    String via = ImportContext.label(c);
    String forward = "$z/.forward.$w+$h:$z/.forward+$h:$z/.forward.$w:$z/.forward";
    call(new McEvent.Call("define", List.of("confFORWARD_PATH", forward), c.line(), false, via));
    call(new McEvent.Call("define", List.of("confMAX_HEADERS_LENGTH", "32768"), c.line(), false, via));
    call(new McEvent.Call("FEATURE", List.of("redirect"), c.line(), false, via));
    call(new McEvent.Call("FEATURE", List.of("use_cw_file"), c.line(), false, via));
    call(new McEvent.Call("EXPOSED_USER", List.of("root"), c.line(), false, via));
  }

  // Of the OS files only Debian's changes what is translated: it reads class w with a scanf
  // pattern, so local-host-names may hold several names per line.
  private void ostype(McEvent.Call c) {
    if (c.arg(0).equals("debian")) {
      ctx.define("confCW_FILE", "MAIL_SETTINGS_DIR`'local-host-names %[^\\#]", c.line());
    }
  }

  private void include(McEvent.Call c) {
    if (!c.arg(0).endsWith("cf.m4")) {
      ctx.report(c, NOT_TRANSLATED, "the file is not read; carry its settings over by hand");
    }
  }

  private void masqueradeAs(McEvent.Call c) {
    String v = ctx.expand(c.arg(0)).strip();
    if (v.contains("$")) {
      ctx.report(c, NOT_TRANSLATED, "it uses sendmail macros: " + v);
    } else if (!v.isEmpty()) {
      ctx.draft.set("masquerade.as", v, ImportContext.origin(c));
    }
  }

  /** A class macro: its argument holds one or more names. */
  private void names(McEvent.Call c, String key) {
    for (String name : ctx.expand(c.arg(0)).strip().split("\\s+")) {
      addName(c, key, name, ImportContext.origin(c));
    }
  }

  // sendmail keeps a class member as written and compares it with the address's host without its
  // final dot, so "my-site.com." never matches (checked with sendmail 8.17 -bt for classes w, G
  // and M). Mailstream would drop the dot and match; leaving the name out keeps sendmail's routing.
  private void addName(McEvent.Call c, String key, String name, String origin) {
    if (name.isEmpty()) {
      return;
    }
    if (name.endsWith(".")) {
      ctx.report(c, NOT_TRANSLATED, name + " ends in a dot, so sendmail never matched it; left out"
          + " (without the dot it would apply)");
      return;
    }
    ctx.draft.add(key, name, origin);
  }

  /** A class file macro: {@code [-o] path}, whose names are copied into the list. */
  private void file(McEvent.Call c, String key) throws ImportException {
    String spec = ctx.expand(c.arg(0)).strip();
    boolean optional = spec.startsWith("-o ");
    String[] words = spec.replaceFirst("^-o\\s+", "").split("\\s+");
    String path = words[0];
    Optional<Path> found = ctx.files.find(path, ctx.settingsDir());
    if (found.isEmpty()) {
      if (!optional) {
        ctx.report(c, NOTE,
            path + " not found next to sendmail.mc, under MAIL_SETTINGS_DIR or at its path; its names are left out");
      }
      return;
    }
    String origin = ImportContext.origin(c) + ", read from " + ctx.files.describe(found.get());
    for (String name : MapFiles.names(found.get(), words.length > 1)) {
      addName(c, key, name, origin);
    }
  }

  // Text that m4 copies into sendmail.cf as it is. A Cw line adds to class w, as LOCAL_DOMAIN does.
  private void text(McEvent.Text t) {
    Matcher cw = CW_LINE.matcher(t.text());
    if (cw.matches()) {
      for (String name : cw.group(1).strip().split("\\s+")) {
        if (name.endsWith(".")) {
          ctx.report(t.line(), "Cw", NOT_TRANSLATED, name + " ends in a dot, so sendmail never matched it; left out");
        } else {
          ctx.draft.add("local-domains", name, "sendmail.mc:" + t.line() + " Cw");
        }
      }
      return;
    }
    String where = section == null ? "" : " (after " + section + ")";
    ctx.report(t.line(), "sendmail.cf text", NOT_TRANSLATED,
        "'" + t.text() + "'" + where + " is passed to sendmail.cf as it is");
  }
}
