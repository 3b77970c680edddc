package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import io.mailstream.core.config.DurationText;
import io.mailstream.core.config.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * define(...): most values are read when sendmail.cf is generated at the end of the .mc (cfhead.m4
 * includes proto.m4 through m4wrap), so the last definition wins and they are translated in
 * {@link #finish()}. The SMTP mailers' arguments are the exception: MAILER(smtp) reads them where
 * it stands, so a later definition has no effect.
 */
final class DefineTranslator {
  static final List<String> MAILERS = List.of("relay", "esmtp", "smtp", "smtp8", "dsmtp");
  private static final Set<String> TRANSLATED =
      Stream.concat(SmtpDefines.NAMES.stream(), Stream.of(
          "SMART_HOST", "MAIL_HUB", "confRELAY_MAILER", "confDOMAIN_NAME", "confMAX_MESSAGE_SIZE", "confMAX_RCPTS_PER_MESSAGE", "confMAX_HOP", "confTO_CONNECT", "confTO_QUEUERETURN", "confTO_QUEUEWARN",
          "RELAY_MAILER_ARGS", "ESMTP_MAILER_ARGS", "SMTP_MAILER_ARGS", "SMTP8_MAILER_ARGS", "DSMTP_MAILER_ARGS"))
          .collect(Collectors.toUnmodifiableSet());
  private static final Map<String, Integer> SERVICES = Map.of("smtp", 25, "submission", 587, "smtps", 465);

  private final ImportContext ctx;
  private final DaemonTranslator daemons;
  private final Map<String, McEvent.Call> calls = new HashMap<>();
  // The mailer arguments as MAILER(smtp) saw them; null until it is called.
  private Map<String, McEvent.Call> atMailer;
  private int mailerLine;
  private final Map<String, Integer> ports = new HashMap<>();
  private final List<McEvent.Call> unknown = new ArrayList<>();

  DefineTranslator(ImportContext ctx, DaemonTranslator daemons) {
    this.ctx = ctx;
    this.daemons = daemons;
  }

  void define(McEvent.Call c) {
    String name = c.arg(0);
    String value = c.args().size() > 1 ? c.args().get(1) : "";
    McEvent.Call before = calls.get(name);
    ctx.define(name, value, c.line());
    calls.put(name, c);
    if (TRANSLATED.contains(name)) {
      if (name.endsWith("_MAILER_ARGS") && atMailer != null) {
        ctx.report(c, NOT_TRANSLATED, "defined after MAILER(smtp) on line " + mailerLine + ", which used the value before");
      } else if (before != null) {
        ctx.report(before, NOT_TRANSLATED, "defined again on line " + c.line());
      }
    } else if (name.equals("confDAEMON_OPTIONS")) {
      daemons.options(c, ctx.expand(value));
    } else if (!Reasons.SILENT_DEFINES.contains(name)) {
      Reasons.Reason r = Reasons.define(name);
      if (r == Reasons.NO_SETTING) {
        // Perhaps a helper that a later value uses (define(`HUB', ...) then SMART_HOST, HUB): known
        // at the end only.
        unknown.add(c);
      } else {
        ctx.report(c, r.status(), r.text());
      }
    }
  }

  void undefine(McEvent.Call c) {
    ctx.undefine(c.arg(0));
    calls.remove(c.arg(0));
  }

  /** MAILER(smtp) defines the SMTP mailers with their arguments as they stand now. */
  void mailerSmtp(McEvent.Call c) {
    if (atMailer == null) {
      atMailer = new HashMap<>(calls);
      mailerLine = c.line();
    }
  }

  void finish() {
    text("confDOMAIN_NAME").ifPresent(v -> hostname(calls.get("confDOMAIN_NAME"), v));
    MAILERS.forEach(this::mailerPort);
    smartHost();
    mailHub();
    size("confMAX_MESSAGE_SIZE", "limits.max-message-size", 1024,
        "0 means no limit to sendmail; Mailstream keeps its default of 25M");
    size("confMAX_RCPTS_PER_MESSAGE", "limits.max-recipients", 100,
        "0 means no limit to sendmail; Mailstream keeps its default of 100");
    size("confMAX_HOP", "limits.max-hops", 1, "0 is no hop count Mailstream can use");
    duration("confTO_CONNECT", "delivery.connect-timeout");
    duration("confTO_QUEUERETURN", "delivery.queue-lifetime");
    duration("confTO_QUEUEWARN", "delivery.queue-warn");
    new FileDefines(ctx, calls).finish();
    new SmtpDefines(ctx, calls).finish(daemons);
    unknown.stream()
        .filter(c -> !ctx.wasExpanded(c.arg(0)))
        .forEach(c -> ctx.report(c, Reasons.NO_SETTING.status(), Reasons.NO_SETTING.text()));
  }

  private void hostname(McEvent.Call c, String v) {
    if (v.contains("$")) {
      ctx.report(c, NOT_TRANSLATED, "it uses sendmail macros: " + v);
    } else {
      ctx.draft.set("hostname", v, ImportContext.origin(c));
    }
  }

  private void mailerPort(String mailer) {
    String name = mailer.toUpperCase(Locale.ROOT) + "_MAILER_ARGS";
    McEvent.Call c = (atMailer != null ? atMailer : calls).get(name);
    if (c == null) {
      return;
    }
    String[] words = ctx.expand(c.arg(1)).strip().split("\\s+");
    boolean tcp = words.length >= 2 && (words[0].equals("TCP") || words[0].equals("IPC")) && words[1].equals("$h");
    if (tcp && words.length == 2) {
      return;
    }
    Integer port = tcp && words.length == 3 ? port(words[2]) : null;
    if (port == null) {
      ctx.report(c, NOT_TRANSLATED, "only 'TCP $h PORT' is understood, got '" + String.join(" ", words) + "'");
      return;
    }
    ports.put(mailer, port);
    ctx.draft.set("mailers." + mailer, port, ImportContext.origin(c));
  }

  private void smartHost() {
    McEvent.Call c = calls.get("SMART_HOST");
    String v = text("SMART_HOST").orElse("");
    if (c == null || v.isEmpty()) {
      return;
    }
    String[] parts = splitColons(v);
    boolean named = parts.length > 1;
    String mailer = named ? parts[0] : text("confRELAY_MAILER").orElse("relay");
    String host = named ? parts[1] : parts[0];
    if (named && parts.length > 2) {
      ctx.report(c, NOTE, "only the first host, " + host + ", is used; sendmail tries the others next");
    }
    if (!MAILERS.contains(mailer)) {
      ctx.report(c, NOT_TRANSLATED, "mailer " + mailer + ": Mailstream has relay, esmtp, smtp, smtp8 and dsmtp");
      return;
    }
    int port = ports.getOrDefault(mailer, 25);
    if (!mailer.equals("relay") && ports.containsKey("relay") && !ports.containsKey(mailer)) {
      // Seed 001's pitfall: RELAY_MAILER_ARGS is the relay mailer's A= line and nobody else's.
      ctx.report(c, NOTE, "it goes through " + mailer + ", on port 25: RELAY_MAILER_ARGS sets the port of"
          + " the relay mailer only (" + mailer.toUpperCase(Locale.ROOT) + "_MAILER_ARGS would set " + mailer + "'s)");
    }
    String value = port == 25 ? host : host + ":" + port;
    try {
      HostPort.parse(value, 25);
    } catch (IllegalArgumentException e) {
      ctx.report(c, NOT_TRANSLATED, e.getMessage());
      return;
    }
    String args = mailer.toUpperCase(Locale.ROOT) + "_MAILER_ARGS";
    McEvent.Call portFrom = (atMailer != null ? atMailer : calls).get(args);
    ctx.draft.set("smart-host", value,
        ImportContext.origin(c) + (port == 25 || portFrom == null ? "" : ", port from " + ImportContext.origin(portFrom)));
    McEvent.Call mailerFrom = calls.get("confRELAY_MAILER");
    String origin = named ? ImportContext.origin(c)
        : mailerFrom != null ? ImportContext.origin(mailerFrom)
        : "sendmail's default: SMART_HOST without a mailer uses relay (confRELAY_MAILER)";
    ctx.draft.set("smart-host-mailer", mailer, origin);
  }

  // MAIL_HUB is [mailer:]host; the local mailer's ruleset 5 sends there with the relay mailer
  // unless it names another.
  private void mailHub() {
    McEvent.Call c = calls.get("MAIL_HUB");
    String v = text("MAIL_HUB").orElse("");
    if (c == null || v.isEmpty()) {
      return;
    }
    String[] parts = splitColons(v);
    if (parts.length > 1 && !parts[0].equals("relay")) {
      ctx.report(c, NOT_TRANSLATED, "mailer " + parts[0] + ": Mailstream sends to the mail hub with the relay mailer");
      return;
    }
    String host = parts[parts.length - 1];
    try {
      new io.mailstream.core.config.RoutingBuilder().mailHub(host);
    } catch (IllegalArgumentException e) {
      ctx.report(c, NOT_TRANSLATED, e.getMessage());
      return;
    }
    ctx.draft.set("routing.mail-hub", host, ImportContext.origin(c));
  }

  /** Splits {@code mailer:host:host2} at colons outside [brackets], where IPv6 literals keep theirs. */
  private static String[] splitColons(String v) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      depth += ch == '[' ? 1 : ch == ']' ? -1 : 0;
      if (ch == ':' && depth == 0) {
        parts.add(v.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(v.substring(start));
    return parts.toArray(String[]::new);
  }

  private void size(String name, String key, long min, String whenZero) {
    McEvent.Call c = calls.get(name);
    Optional<String> v = text(name);
    if (c == null || v.isEmpty()) {
      return;
    }
    long n;
    try {
      n = Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      ctx.report(c, NOT_TRANSLATED, "not a whole number: '" + v.get() + "'");
      return;
    }
    if (n == 0) {
      ctx.report(c, NOT_TRANSLATED, whenZero);
    } else if (n < min) {
      ctx.report(c, NOT_TRANSLATED, "Mailstream needs at least " + min + ", got " + n);
    } else {
      ctx.draft.set(key, n, ImportContext.origin(c));
    }
  }

  private void duration(String name, String key) {
    McEvent.Call c = calls.get(name);
    Optional<String> v = text(name);
    if (c == null || v.isEmpty()) {
      return;
    }
    try {
      DurationText.parse(v.get());
      ctx.draft.set(key, v.get(), ImportContext.origin(c));
    } catch (IllegalArgumentException e) {
      ctx.report(c, NOT_TRANSLATED, e.getMessage());
    }
  }

  private Optional<String> text(String name) {
    ImportContext.Definition d = ctx.definition(name);
    return d == null ? Optional.empty() : Optional.of(ctx.expand(d.value()).strip());
  }

  static Integer port(String word) {
    if (SERVICES.containsKey(word)) {
      return SERVICES.get(word);
    }
    try {
      int p = Integer.parseInt(word);
      return p >= 1 && p <= 65535 ? p : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
