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
  // Included files and conditional branches being read; a file that includes itself stops here.
  private static final int MAX_INCLUDE_DEPTH = 8;
  private int includeDepth;
  // The included file being read, for the reader's error messages; null for sendmail.mc itself.
  private Path reading;

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
      case "FEATURE" -> {
        if (c.arg(0).equals("nullclient")) {
          nullclient(c);
        } else {
          features.feature(c);
        }
      }
      case "DAEMON_OPTIONS" -> daemons.options(c, ctx.expand(c.arg(0)));
      case "DOMAIN" -> domain(c);
      case "OSTYPE" -> ostype(c);
      case "include", "sinclude" -> include(c);
      case "ifdef", "ifelse" -> conditional(c);
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

  /**
   * What the .mc leaves to sendmail's defaults where they matter on the new machine: report lines
   * without a line number, for the console and the top of mailstream.yaml alike.
   */
  List<ReportLine> defaults() {
    List<ReportLine> out = new ArrayList<>();
    if (!daemons.any()) {
      out.add(new ReportLine(0, "DAEMON_OPTIONS", ReportLine.DEFAULT_DIFFERS, "sendmail.mc has none, so sendmail"
          + " listened on port 25 of every address; Mailstream listens on 127.0.0.1:2525 until listen says"
          + " otherwise (listen: [0.0.0.0:25], run as root or with CAP_NET_BIND_SERVICE)"));
    }
    if (features.call("no_default_msa").isEmpty()) {
      // cf/m4/proto.m4 adds "Port=587, Name=MSA, M=E" unless FEATURE(no_default_msa).
      out.add(new ReportLine(0, "FEATURE(no_default_msa)", ReportLine.DEFAULT_DIFFERS, "sendmail.mc does not"
          + " have it, so sendmail also listened on port 587 of every address as MSA; Mailstream does not:"
          + " add 0.0.0.0:587 msa to listen if mail clients submit there"));
    }
    if (!ctx.draft.has("smart-host")) {
      out.add(new ReportLine(0, "SMART_HOST", NOTE, "not set: mail that no mailertable entry routes goes"
          + " straight to each domain's MX hosts (direct MX delivery, port 25 outbound), in Mailstream as in"
          + " sendmail"));
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

  // cf/feature/nullclient.m4, translated as if the .mc held what it defines: everything goes to the
  // hub (SMART_HOST), and so do local users (MAIL_HUB: the local mailer's ruleset 5); addresses are
  // masqueraded as the hub in headers and envelope; no aliases file (it undefines ALIAS_FILE).
  private void nullclient(McEvent.Call c) throws ImportException {
    String hub = ctx.expand(c.arg(1)).strip();
    if (hub.isEmpty()) {
      ctx.report(c, NOT_TRANSLATED, "it needs the hub as its argument (sendmail's m4 refuses it without)");
      return;
    }
    if (hub.contains("$")) {
      // cf/cf/clientproto.mc's mailhost.$m: $m is the domain of the name the new host will have.
      ctx.report(c, NOT_TRANSLATED, "the hub " + hub + " uses sendmail macros ($m is this host's domain);"
          + " set smart-host, routing.mail-hub and masquerade.as (with masquerade.all and masquerade.envelope)"
          + " to the hub's name by hand, or mail for local users stays here");
      return;
    }
    String via = ImportContext.label(c);
    call(new McEvent.Call("define", List.of("SMART_HOST", hub), c.line(), false, via));
    call(new McEvent.Call("define", List.of("MAIL_HUB", hub), c.line(), false, via));
    call(new McEvent.Call("define", List.of("ALIAS_FILE", ""), c.line(), false, via));
    call(new McEvent.Call("MASQUERADE_AS", List.of(hub), c.line(), false, via));
    call(new McEvent.Call("FEATURE", List.of("allmasquerade"), c.line(), false, via));
    call(new McEvent.Call("FEATURE", List.of("masquerade_envelope"), c.line(), false, via));
    ctx.report(c, NOTE, "all mail goes to " + hub + ", local users' too (smart-host, routing.mail-hub), masqueraded as "
        + hub + "; no aliases file, as nullclient.m4 undefines ALIAS_FILE");
  }

  // Of the OS files only Debian's changes what is translated: it reads class w with a scanf
  // pattern, so local-host-names may hold several names per line.
  private void ostype(McEvent.Call c) {
    if (c.arg(0).equals("debian")) {
      ctx.define("confCW_FILE", "MAIL_SETTINGS_DIR`'local-host-names %[^\\#]", c.line());
    }
  }

  /**
   * An m4 file the .mc includes (Debian's {@code /etc/mail/tls/starttls.m4}, a site's own): read
   * from where the old machine had it (next to sendmail.mc, under MAIL_SETTINGS_DIR or at its path
   * under --root) and translated as if its calls stood on the include's line.
   */
  private void include(McEvent.Call c) throws ImportException {
    String path = ctx.expand(c.arg(0)).strip();
    if (path.endsWith("cf.m4")) {
      return;
    }
    Optional<Path> found = ctx.files.find(path, ctx.settingsDir());
    if (found.isEmpty()) {
      if (c.name().equals("sinclude")) {
        ctx.report(c, NOTE, path + " not found; sinclude reads nothing then, in sendmail as here");
      } else {
        ctx.report(c, NOT_TRANSLATED, path + " not found next to sendmail.mc, under MAIL_SETTINGS_DIR or at its path"
            + " under --root, so it is not read; carry its settings over by hand");
      }
      return;
    }
    if (includeDepth >= MAX_INCLUDE_DEPTH) {
      ctx.report(c, NOT_TRANSLATED, "includes nested more than " + MAX_INCLUDE_DEPTH + " deep are not read");
      return;
    }
    String text = SendmailImporter.text(found.get());
    if (text.isBlank()) {
      ctx.report(c, NOTE, "read from " + ctx.files.describe(found.get()) + ": empty");
      return;
    }
    translate(text, found.get(), c, ImportContext.label(c));
  }

  // Calls of an included file or a taken conditional branch, reported on the line of the call
  // that brought them in, labelled with it.
  private void translate(String text, Path file, McEvent.Call from, String via) throws ImportException {
    Path before = reading;
    reading = file != null ? file : reading;
    McReader reader = new McReader(reading != null ? reading : Path.of("sendmail.mc"), text, ctx::macro);
    includeDepth++;
    try {
      for (McEvent e = reader.next(); e != null; e = reader.next()) {
        if (e instanceof McEvent.Call inner) {
          String label = via == null ? inner.via() : inner.via() == null ? via : via + " " + inner.via();
          call(new McEvent.Call(inner.name(), inner.args(), from.line(), false, label));
        } else if (e instanceof McEvent.Text t && !t.text().isBlank()) {
          ctx.report(from.line(), via == null ? "sendmail.cf text" : via, NOT_TRANSLATED,
              "'" + t.text() + "' is passed to sendmail.cf as it is");
        }
      }
    } finally {
      includeDepth--;
      reading = before;
    }
  }

  /**
   * m4 conditionals are not evaluated, except the guards of Debian's generated m4 files
   * (starttls.m4, sasl.m4): {@code ifdef(`sm_version', ...)} brings in Debian's autoconf.m4 and
   * {@code ifelse} on {@code sm_version_math} or {@code sm_enable_tls} tests how Debian built
   * sendmail 8.17, which has STARTTLS, so the guarded settings are the ones sendmail used.
   */
  private void conditional(McEvent.Call c) throws ImportException {
    String test = c.arg(0);
    if (c.name().equals("ifdef") && test.equals("sm_version")) {
      return;
    }
    if (c.name().equals("ifelse") && c.args().size() >= 3
        && (test.contains("sm_version_math") || test.contains("sm_enable_tls"))) {
      // The branch's calls are labelled as the conditional's own would be: by the include, if any.
      translate(c.args().get(2), null, c, c.via());
      return;
    }
    Reasons.Reason r = Reasons.macro(c.name());
    ctx.report(c, r.status(), r.text());
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
