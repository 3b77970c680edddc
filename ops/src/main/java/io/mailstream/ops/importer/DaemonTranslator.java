package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.ALREADY;
import static io.mailstream.ops.importer.ReportLine.NOTE;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import io.mailstream.core.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DAEMON_OPTIONS (and the older confDAEMON_OPTIONS): each becomes a {@code listen} address. Like
 * sendmail, only the first letter of a key counts ({@code Port}, {@code P}); Name is only a label.
 * The modifiers give the role: {@code M=a} (require AUTH) an msa listener, {@code M=s} (SMTP over
 * TLS from the first octet) an smtps one. The listeners are written in {@link #finish}, once the
 * whole .mc says whether there is a certificate.
 */
final class DaemonTranslator {
  /** A listener as the .mc gives it: {@code ADDR:PORT ROLE}. */
  record Daemon(McEvent.Call call, String listen, String role) {}

  // cf/README, DAEMON_OPTIONS modifiers that Mailstream has no setting for.
  private static final Map<Character, String> MODIFIERS =
      Map.of(
          'b', "b (bind to the interface the mail came in on)",
          'c', "c (canonify host names)",
          'f', "f (require fully qualified addresses)",
          'u', "u (allow unqualified addresses)",
          'A', "A (no AUTH on this listener)",
          'C', "C (do not canonify host names)",
          'O', "O (optional: go on if the address cannot be bound)",
          'S', "S (no STARTTLS on this listener)");

  private final ImportContext ctx;
  private final List<Daemon> daemons = new ArrayList<>();
  private boolean any;
  private boolean tls;

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
    daemons.add(new Daemon(c, listen, role(c, modifiers == null ? "" : modifiers, port)));
    if (port < 1024) {
      ctx.report(c, NOTE, "port " + port + " needs root or CAP_NET_BIND_SERVICE");
    }
    if (!other.isEmpty()) {
      ctx.report(c, NOT_TRANSLATED, String.join(", ", other) + ": no Mailstream setting");
    }
  }

  // M=a: clients must authenticate (Mailstream's msa); M=s: TLS from the first octet (smtps, which
  // in Mailstream always requires AUTH too); A turns AUTH off again.
  private String role(McEvent.Call c, String modifiers, int port) {
    boolean auth = modifiers.indexOf('a') >= 0 && modifiers.indexOf('A') < 0;
    boolean smtps = modifiers.indexOf('s') >= 0;
    List<String> rest = new ArrayList<>();
    for (char m : modifiers.replace(",", "").strip().toCharArray()) {
      if (MODIFIERS.containsKey(m)) {
        rest.add(MODIFIERS.get(m));
      } else if ("asE ".indexOf(m) < 0) {
        rest.add(m + " (unknown to sendmail)");
      }
    }
    if (modifiers.indexOf('E') >= 0) {
      ctx.report(c, ALREADY, "M=E: Mailstream has no ETRN");
    }
    if (!rest.isEmpty()) {
      ctx.report(c, NOT_TRANSLATED, "M=" + String.join(", ", rest) + ": no Mailstream setting");
    }
    if (smtps) {
      if (!auth) {
        ctx.report(c, NOTE, "M=s without a: sendmail did not require AUTH there, Mailstream's smtps listeners do");
      }
      return "smtps";
    }
    if (!auth && port == 587) {
      ctx.report(c, NOTE, "without M=a sendmail did not require AUTH on port 587, so this is an mta listener;"
          + " add msa to require it (RFC 6409)");
    } else if (port == 465) {
      ctx.report(c, NOTE, "without M=s sendmail spoke plain SMTP on port 465, and so does this listener");
    }
    return auth ? "msa" : "mta";
  }

  /**
   * Writes the listeners. An smtps one needs tls.cert and tls.key, without which Mailstream's
   * config refuses to load, so without a certificate it is written as a comment to complete.
   */
  void finish(boolean tls) {
    this.tls = tls;
    for (Daemon d : daemons) {
      String value = d.role().equals("mta") ? d.listen() : d.listen() + " " + d.role();
      if (d.role().equals("smtps") && !tls) {
        ctx.draft.addCommented("listen", value, ImportContext.origin(d.call()) + "; needs tls.cert and tls.key");
        ctx.report(d.call(), NOT_TRANSLATED, "M=s needs a certificate, and the .mc does not set both confSERVER_CERT"
            + " and confSERVER_KEY: the listener is left commented out; set tls.cert and tls.key, then remove the #");
      } else {
        ctx.draft.add("listen", value, ImportContext.origin(d.call()));
        if (d.role().equals("msa") && !tls) {
          ctx.report(d.call(), NOTE, "it requires AUTH, which Mailstream offers only inside TLS (unless"
              + " auth.allow-plaintext), and the .mc sets no certificate (confSERVER_CERT and confSERVER_KEY, which"
              + " Debian's /etc/mail/tls/starttls.m4 sets when included): nobody can authenticate there until tls.cert"
              + " and tls.key are set; mailstream start warns");
        }
      }
    }
  }

  /** The first listener written that requires AUTH, if any. */
  Optional<McEvent.Call> firstRequiringAuth() {
    return daemons.stream()
        .filter(d -> d.role().equals("msa") || d.role().equals("smtps") && tls)
        .map(Daemon::call)
        .findFirst();
  }
}
