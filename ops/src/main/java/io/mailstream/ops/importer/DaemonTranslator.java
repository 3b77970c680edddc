package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import io.mailstream.core.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DAEMON_OPTIONS (and the older confDAEMON_OPTIONS): each becomes a {@code listen} address. Like
 * sendmail, only the first letter of a key counts ({@code Port}, {@code P}); Name is only a label.
 */
final class DaemonTranslator {
  private final ImportContext ctx;
  private boolean any;

  DaemonTranslator(ImportContext ctx) {
    this.ctx = ctx;
  }

  /** Whether the .mc set any listener; without one sendmail listens on port 25 of every address. */
  boolean any() {
    return any;
  }

  void options(McEvent.Call c, String value) {
    any = true;
    String addr = null;
    String family = "inet";
    String portText = "smtp";
    String modifiers = null;
    List<String> other = new ArrayList<>();
    for (String part : value.split(",")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq < 1) {
        if (!p.isEmpty()) {
          other.add(p);
        }
        continue;
      }
      String v = p.substring(eq + 1).strip();
      switch (Character.toUpperCase(p.charAt(0))) {
        case 'A' -> addr = v;
        case 'F' -> family = v.toLowerCase(Locale.ROOT);
        case 'P' -> portText = v;
        case 'M' -> modifiers = v;
        case 'N' -> { }
        default -> other.add(p);
      }
    }
    if (!family.equals("inet") && !family.equals("inet6")) {
      ctx.report(c, NOT_TRANSLATED, "Family=" + family + ": Mailstream listens on TCP only");
      return;
    }
    Integer port = DefineTranslator.port(portText);
    if (port == null) {
      ctx.report(c, NOT_TRANSLATED, "Port=" + portText + " is not a port number, smtp, submission or smtps");
      return;
    }
    String host = addr != null ? addr : family.equals("inet6") ? "::" : "0.0.0.0";
    String listen = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    try {
      HostPort.parse(listen, 25);
    } catch (IllegalArgumentException e) {
      ctx.report(c, NOT_TRANSLATED, e.getMessage());
      return;
    }
    ctx.draft.add("listen", listen, ImportContext.origin(c));
    if (port < 1024) {
      ctx.report(c, NOTE, "port " + port + " needs root or CAP_NET_BIND_SERVICE");
    }
    if (modifiers != null) {
      ctx.report(c, NOT_TRANSLATED, "M=" + modifiers + ": listener modifiers have no Mailstream setting");
    }
    if (!other.isEmpty()) {
      ctx.report(c, NOT_TRANSLATED, String.join(", ", other) + ": no Mailstream setting");
    }
  }
}
