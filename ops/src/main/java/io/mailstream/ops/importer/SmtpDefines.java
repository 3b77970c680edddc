package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.ALREADY;
import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import io.mailstream.core.config.DurationText;
import io.mailstream.core.config.PrivacyFlag;
import io.mailstream.core.config.SmtpSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The defines for the {@code smtp:}, {@code tls:} and {@code auth:} sections, read like the others
 * when sendmail.cf is generated: the last definition wins. Also writes the listeners, which need to
 * know whether there is a certificate, and the users file that msa listeners need.
 */
final class SmtpDefines {
  static final Set<String> NAMES =
      Set.of("confSMTP_LOGIN_MSG", "confPRIVACY_FLAGS", "confBAD_RCPT_THROTTLE", "confMAX_DAEMON_CHILDREN",
          "confSERVER_CERT", "confSERVER_KEY", "confAUTH_OPTIONS", "confTO_COMMAND", "confTO_DATABLOCK");
  // PrivacyFlag accepts these for .mc files that set them; they restrict sendmail's command line.
  private static final List<String> NOTHING_TO_RESTRICT =
      List.of("restrictmailq", "restrictqrun", "restrictexpand", "noactualrecipient");
  static final String USERS_FILE =
      "# Users who may authenticate (AUTH PLAIN and LOGIN), one name:hash per line.\n"
          + "# Written by mailstream import-sendmail, empty: sendmail's SASL password database cannot be\n"
          + "# converted. Add each user with: mailstream passwd NAME --users THIS-FILE\n";

  private final ImportContext ctx;
  private final Map<String, McEvent.Call> calls;

  SmtpDefines(ImportContext ctx, Map<String, McEvent.Call> calls) {
    this.ctx = ctx;
    this.calls = calls;
  }

  void finish(DaemonTranslator daemons) {
    boolean tls = tls();
    daemons.finish(tls);
    value("confSMTP_LOGIN_MSG").ifPresent(this::banner);
    value("confPRIVACY_FLAGS").ifPresent(this::privacy);
    count("confBAD_RCPT_THROTTLE", "smtp.bad-rcpt-throttle", 0, null);
    count("confMAX_DAEMON_CHILDREN", "smtp.max-connections", 1,
        "0 means no limit to sendmail; Mailstream keeps its default of 1000");
    commandTimeout();
    value("confAUTH_OPTIONS").ifPresent(this::authOptions);
    daemons.firstRequiringAuth().ifPresent(this::users);
  }

  /** A define's call and its value as sendmail.cf gets it, if the .mc (still) defines it. */
  private Optional<Defined> value(String name) {
    McEvent.Call c = calls.get(name);
    ImportContext.Definition d = ctx.definition(name);
    return c == null || d == null ? Optional.empty() : Optional.of(new Defined(c, ctx.expand(d.value()).strip()));
  }

  private record Defined(McEvent.Call call, String value) {}

  // confSERVER_CERT and confSERVER_KEY: the paths as the .mc gives them, where the node will read them.
  private boolean tls() {
    Optional<Defined> cert = value("confSERVER_CERT").filter(d -> !d.value().isEmpty());
    Optional<Defined> key = value("confSERVER_KEY").filter(d -> !d.value().isEmpty());
    if (cert.isPresent() && key.isPresent()) {
      ctx.draft.set("tls.cert", cert.get().value(), ImportContext.origin(cert.get().call()));
      ctx.draft.set("tls.key", key.get().value(), ImportContext.origin(key.get().call()));
      ctx.report(key.get().call(), NOTE, "Mailstream reads an unencrypted PKCS#8 key; convert a traditional"
          + " 'BEGIN RSA PRIVATE KEY' one with: openssl pkcs8 -topk8 -nocrypt -in " + key.get().value());
      return true;
    }
    cert.ifPresent(d -> ctx.report(d.call(), NOT_TRANSLATED, "confSERVER_KEY is not set; Mailstream needs both"));
    key.ifPresent(d -> ctx.report(d.call(), NOT_TRANSLATED, "confSERVER_CERT is not set; Mailstream needs both"));
    return false;
  }

  private void banner(Defined d) {
    Banner b = Banner.translate(d.value());
    if (b.problem() != null) {
      ctx.report(d.call(), NOT_TRANSLATED, b.problem());
      return;
    }
    ctx.draft.set("smtp.banner", b.value(), ImportContext.origin(d.call())
        + (b.esmtpAdded() ? ", with the ESMTP that sendmail puts after the first word" : ""));
    if (!b.dropped().isEmpty()) {
      ctx.report(d.call(), NOTE, String.join(", ", b.dropped()) + " dropped: Mailstream's banner knows only $j;"
          + " it is '" + b.value() + "'");
    }
  }

  // sendmail's names, as written; PrivacyFlag reads them (goaway and public included).
  private void privacy(Defined d) {
    List<String> unknown = new ArrayList<>();
    List<String> idle = new ArrayList<>();
    String origin = ImportContext.origin(d.call());
    for (String flag : d.value().split("[,\\s]+")) {
      if (flag.isEmpty()) {
        continue;
      }
      try {
        PrivacyFlag.parse(List.of(flag));
      } catch (IllegalArgumentException e) {
        unknown.add(flag);
        continue;
      }
      ctx.draft.add("smtp.privacy", flag, origin);
      if (NOTHING_TO_RESTRICT.contains(flag.toLowerCase(Locale.ROOT))) {
        idle.add(flag);
      }
    }
    if (!ctx.draft.has("smtp.privacy")) {
      // An empty PrivacyOptions restricts nothing: sendmail's public.
      ctx.draft.add("smtp.privacy", "public", origin + ": empty");
    }
    if (!unknown.isEmpty()) {
      ctx.report(d.call(), NOT_TRANSLATED, String.join(", ", unknown) + ": not a sendmail privacy flag;"
          + " sendmail ignored it too");
    }
    if (!idle.isEmpty()) {
      ctx.report(d.call(), NOTE, String.join(", ", idle) + " kept, with no effect: Mailstream has no mailq,"
          + " queue runs or sendmail -bv for them to restrict");
    }
  }

  /**
   * confTO_COMMAND as smtp.command-timeout, which is also the wait within a message: sendmail's
   * confTO_DATABLOCK has no setting of its own, and is reported beside it.
   */
  private void commandTimeout() {
    Optional<Defined> command = value("confTO_COMMAND");
    String translated = command.flatMap(this::commandTimeout).orElse(null);
    value("confTO_DATABLOCK").ifPresent(d -> {
      if (translated != null) {
        ctx.report(d.call(), NOTE, "smtp.command-timeout is one time-out for the wait for a command and within a"
            + " message; it is confTO_COMMAND's " + translated);
      } else {
        ctx.report(d.call(), NOT_TRANSLATED, "Mailstream's one time-out for the wait for a command and within a"
            + " message, smtp.command-timeout, comes from confTO_COMMAND");
      }
    });
  }

  /** The value written, if it is one smtp.command-timeout takes. */
  private Optional<String> commandTimeout(Defined d) {
    Duration t;
    try {
      t = DurationText.parse(d.value());
    } catch (IllegalArgumentException e) {
      ctx.report(d.call(), NOT_TRANSLATED, e.getMessage());
      return Optional.empty();
    }
    if (t.compareTo(SmtpSettings.MIN_COMMAND_TIMEOUT) < 0 || t.compareTo(SmtpSettings.MAX_COMMAND_TIMEOUT) > 0) {
      ctx.report(d.call(), NOT_TRANSLATED, "smtp.command-timeout must be from 1s to 2h, got " + d.value()
          + "; Mailstream keeps its default of 5m");
      return Optional.empty();
    }
    ctx.draft.set("smtp.command-timeout", d.value(), ImportContext.origin(d.call()));
    return Optional.of(d.value());
  }

  private void count(String name, String key, int min, String whenBelow) {
    value(name).ifPresent(d -> {
      int n;
      try {
        n = Integer.parseInt(d.value());
      } catch (NumberFormatException e) {
        ctx.report(d.call(), NOT_TRANSLATED, "not a whole number: '" + d.value() + "'");
        return;
      }
      if (n < min) {
        ctx.report(d.call(), NOT_TRANSLATED, whenBelow != null ? whenBelow : "Mailstream needs at least " + min);
      } else {
        ctx.draft.set(key, n, ImportContext.origin(d.call()));
      }
    });
  }

  // cf/README, AuthOptions: "p don't permit mechanisms susceptible to simple passive attack (e.g.,
  // PLAIN, LOGIN), unless a security layer is active". Without p sendmail offered them in the clear.
  private void authOptions(Defined d) {
    String flags = d.value().replaceAll("[,\\s]", "");
    String rest = flags.replace("p", "");
    if (flags.contains("p")) {
      ctx.report(d.call(), ALREADY, "p: AUTH PLAIN and LOGIN are offered only inside TLS");
    } else {
      ctx.draft.set("auth.allow-plaintext", true,
          ImportContext.origin(d.call()) + " without p: PLAIN and LOGIN without TLS too");
    }
    if (!rest.isEmpty()) {
      ctx.report(d.call(), NOT_TRANSLATED, String.join(", ", rest.split("")) + ": no Mailstream setting");
    }
  }

  // Mailstream refuses an msa listener without auth.users. An empty users file keeps the config
  // loading and the listener closed to everyone until users are added, which is what sendmail did
  // with an empty sasldb; the sasldb itself holds passwords in a form Mailstream cannot hash.
  private void users(McEvent.Call c) {
    String name = ctx.files.create("users", USERS_FILE);
    ctx.draft.set("auth.users", name, ImportContext.origin(c) + " requires AUTH; created empty: add users with"
        + " mailstream passwd NAME --users " + name);
    ctx.report(c, NOTE, "it requires AUTH: auth.users names " + name + ", created empty beside mailstream.yaml;"
        + " SASL's sasldb cannot be converted, so add each user with mailstream passwd NAME --users OUTDIR/" + name);
  }

  /** confSMTP_LOGIN_MSG as Mailstream's smtp.banner. */
  record Banner(String value, List<String> dropped, boolean esmtpAdded, String problem) {
    static Banner translate(String text) {
      String t = text.strip();
      if (!t.startsWith("$j")) {
        return problem("Mailstream's banner must start with $j (the hostname), this one is '" + t + "'");
      }
      if (t.chars().anyMatch(ch -> ch < 0x20 || ch > 0x7e)) {
        return problem("only one line of printable ASCII is allowed in Mailstream's banner");
      }
      List<String> dropped = new ArrayList<>();
      List<String> words = new ArrayList<>();
      for (String word : t.split(" +")) {
        String kept = dropMacros(word, dropped);
        // "$v/$Z;" leaves "/;": punctuation that only joined the dropped macros goes with them.
        if (kept.equals(word) || kept.chars().anyMatch(Character::isLetterOrDigit)) {
          words.add(kept);
        }
      }
      boolean esmtp = words.size() < 2 || !words.get(1).equals("ESMTP");
      if (esmtp) {
        words.add(1, "ESMTP");
      }
      return new Banner(String.join(" ", words), dropped, esmtp, null);
    }

    private static Banner problem(String why) {
      return new Banner(null, List.of(), false, why);
    }

    private static String dropMacros(String word, List<String> dropped) {
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < word.length()) {
        char ch = word.charAt(i);
        if (ch != '$' || i + 1 == word.length()) {
          out.append(ch);
          i++;
          continue;
        }
        int end = word.charAt(i + 1) == '{' && word.indexOf('}', i) > 0 ? word.indexOf('}', i) + 1 : i + 2;
        String macro = word.substring(i, end);
        if (macro.equals("$j")) {
          out.append(macro);
        } else if (!dropped.contains(macro)) {
          dropped.add(macro);
        }
        i = end;
      }
      return out.toString();
    }
  }
}
