package io.mailstream.ops.importer;

import static io.mailstream.ops.importer.ReportLine.ALREADY;
import static io.mailstream.ops.importer.ReportLine.NOT_TRANSLATED;

import java.util.Map;
import java.util.Set;

/**
 * Why sendmail.mc settings without a Mailstream key are left out, or why they need none. Kept in one
 * table so that the wording stays consistent and is reviewed in one place.
 */
final class Reasons {
  private Reasons() {}

  /** A status and a reason. */
  record Reason(String status, String text) {}

  private static Reason not(String text) {
    return new Reason(NOT_TRANSLATED, text);
  }

  private static Reason already(String text) {
    return new Reason(ALREADY, text);
  }

  static final Reason NO_SETTING = not("no Mailstream setting");
  private static final String ACCESS_LATER =
      "Mailstream checks the access db's Connect:, From: and To: entries but has no setting for this feature";
  private static final String NO_TLS = "of the TLS settings only confSERVER_CERT and confSERVER_KEY are translated";
  private static final String NO_AUTH = "of the AUTH settings only confAUTH_OPTIONS p is translated";
  private static final String RATE =
      "sendmail's is one limit per second over all clients that delays connections; Mailstream's"
          + " smtp.connection-rate-throttle counts per client per minute and refuses (FEATURE(ratecontrol)),"
          + " so no value carries over: set it by hand";
  private static final String BY_SENDER =
      "sender addresses are forged easily; Mailstream relays by client network (relay-from)";

  private static final Map<String, Reason> FEATURES =
      Map.ofEntries(
          Map.entry("accept_unresolvable_domains", already("it does not look sender domains up in DNS")),
          Map.entry("nocanonify", already("it does not canonify host names through DNS")),
          Map.entry("no_default_msa", already("it listens only where listen says")),
          Map.entry("nouucp", already("it has no UUCP")),
          Map.entry("smrsh", already("it runs no programs for mail")),
          Map.entry("accept_unqualified_senders", not("Mailstream refuses MAIL FROM addresses without a domain")),
          Map.entry("promiscuous_relay", not("an open relay; Mailstream relays only for relay-from networks")),
          Map.entry("relay_entire_domain", not("list the client networks in relay-from instead")),
          Map.entry("relay_based_on_MX", not("Mailstream does not relay based on MX records")),
          Map.entry("relay_local_from", not(BY_SENDER)),
          Map.entry("relay_mail_from", not(BY_SENDER)),
          Map.entry("delay_checks", not(ACCESS_LATER)),
          Map.entry("blacklist_recipients", not(ACCESS_LATER)),
          Map.entry("blocklist_recipients", not(ACCESS_LATER)),
          Map.entry("dnsbl", not("Mailstream has no DNS blocklists")),
          Map.entry("enhdnsbl", not("Mailstream has no DNS blocklists")),
          Map.entry("conncontrol", already("it reads the ClientConn: entries of routing.access, per client"
              + " address and tag-only for every other client; without one smtp.max-connections-per-ip (default 50)"
              + " applies")),
          Map.entry("ratecontrol", already("it reads the ClientRate: entries of routing.access (connections per"
              + " minute), per client address and tag-only for every other client; without one"
              + " smtp.connection-rate-throttle applies")),
          Map.entry("redirect", not("the .REDIRECT pseudo-domain is not supported")),
          Map.entry("local_procmail", not("local mail goes into Maildirs under data-dir")),
          Map.entry("local_lmtp", not("local mail goes into Maildirs under data-dir")),
          Map.entry("use_ct_file", not("Mailstream has no trusted users")),
          Map.entry("nullclient", not("set smart-host to the hub and leave local-domains empty")),
          Map.entry("msp", not("this is the submission program's configuration (submit.mc), not the MTA's")),
          Map.entry("ldap_routing", not("Mailstream reads no LDAP")),
          Map.entry("tls_session_features", not(NO_TLS)),
          Map.entry("tls_failures", not(NO_TLS)));

  /** Defines that name a setting Mailstream does not have, with the reason. */
  private static final Map<String, Reason> DEFINES =
      Map.ofEntries(
          Map.entry("confLOG_LEVEL", not("Mailstream logs through logback; the mail log is data/log/maillog")),
          Map.entry("confCONNECTION_RATE_THROTTLE", not(RATE)),
          Map.entry("confCONNECTION_RATE_WINDOW_SIZE", not("the window of confCONNECTION_RATE_THROTTLE, which is not"
              + " translated; Mailstream's window is one minute")),
          Map.entry("confSMTP_MAILER", not("Mailstream sends mail routed by MX records with esmtp")),
          Map.entry("confAUTH_MECHANISMS", not("Mailstream offers AUTH PLAIN and LOGIN, checked against auth.users")),
          Map.entry("confDEF_USER_ID", not("Mailstream runs as the user that starts it")),
          Map.entry("confRUN_AS_USER", not("Mailstream runs as the user that starts it")),
          Map.entry("confTRUSTED_USER", not("Mailstream runs as the user that starts it")),
          Map.entry("QUEUE_DIR", not("Mailstream's queue is Kafka, under data-dir")),
          Map.entry("RELAY_MAILER",
              not("sendmail's cf reads confRELAY_MAILER, not RELAY_MAILER, so nothing used it;"
                  + " relay stays the relay mailer")));

  /** Defines that only steer sendmail.cf's generation and need no word. */
  static final Set<String> SILENT_DEFINES =
      Set.of("_USE_ETC_MAIL_", "DATABASE_MAP_TYPE", "MAIL_SETTINGS_DIR", "confCF_VERSION", "confCW_FILE",
          "confCR_FILE", "ALIAS_FILE");

  private static final Map<String, Reason> MACROS =
      Map.ofEntries(
          Map.entry("HACK", not("cf/hack files are not read")),
          Map.entry("SITECONFIG", not("UUCP site configuration is not supported")),
          Map.entry("ifdef", not("m4 conditionals are not evaluated; move the settings out of them")),
          Map.entry("ifelse", not("m4 conditionals are not evaluated; move the settings out of them")),
          Map.entry("INPUT_MAIL_FILTER", not("Mailstream has no milters")),
          Map.entry("MAIL_FILTER", not("Mailstream has no milters")),
          Map.entry("TRUST_AUTH_MECH", already("a client that authenticates may relay anywhere")),
          Map.entry("RELAY_DOMAIN", not("list the names in the relay-domains file (routing.relay-domains)")),
          Map.entry("RELAY_DOMAIN_FILE", not("list the names in the relay-domains file (routing.relay-domains)")),
          Map.entry("CANONIFY_DOMAIN", already("it never canonifies host names through DNS")),
          Map.entry("CANONIFY_DOMAIN_FILE", already("it never canonifies host names through DNS")),
          Map.entry("MODIFY_MAILER_FLAGS", not("mailer flags are not translated")),
          Map.entry("LOCAL_USER", NO_SETTING),
          Map.entry("CLIENT_OPTIONS", NO_SETTING),
          Map.entry("QUEUE_GROUP", not("Mailstream's queue is Kafka, under data-dir")));

  /** Calls that set nothing Mailstream needs: sendmail.cf's skeleton and its mailers. */
  static final Set<String> SILENT_MACROS =
      Set.of("divert", "changecom", "VERSIONID", "OSTYPE", "MAILER", "MAILER_DEFINITIONS", "LOCAL_CONFIG",
          "LOCAL_RULESETS", "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2", "LOCAL_RULE_3", "LOCAL_NET_CONFIG",
          "LOCAL_DNSBL", "LOCAL_UUCP", "LOCAL_SRV_FEATURES", "LOCAL_CLT_FEATURES", "LOCAL_TRY_TLS",
          "LOCAL_TLS_RCPT", "LOCAL_TLS_CLIENT", "LOCAL_TLS_SERVER");

  static Reason feature(String name) {
    return FEATURES.getOrDefault(name, NO_SETTING);
  }

  static Reason macro(String name) {
    if (name.equals("pushdef") || name.equals("popdef") || name.equals("errprint") || name.endsWith("syscmd")) {
      return not("m4 builtins are not evaluated");
    }
    return MACROS.getOrDefault(name, not("unknown macro; m4 copies it into sendmail.cf as text"));
  }

  static Reason define(String name) {
    Reason r = DEFINES.get(name);
    if (r != null) {
      return r;
    }
    // Only conf names: a helper such as define(`CERT_DIR', ...) is checked for use at the end.
    if (name.startsWith("conf") && (name.startsWith("confTLS_") || name.contains("CERT") || name.endsWith("_KEY"))) {
      return not(NO_TLS);
    }
    if (name.startsWith("confAUTH_") || name.startsWith("confDEF_AUTH")) {
      return not(NO_AUTH);
    }
    if (name.startsWith("confTO_")) {
      return not("only confTO_CONNECT, confTO_COMMAND, confTO_DATABLOCK, confTO_QUEUERETURN and confTO_QUEUEWARN"
          + " have Mailstream settings");
    }
    if (name.endsWith("_MAILER_PATH") || name.endsWith("_MAILER_FLAGS") || name.endsWith("_MAILER_MAX")
        || name.endsWith("_MAILER_ARGS")) {
      return not("of the mailer definitions only the SMTP mailers' ports are translated");
    }
    return NO_SETTING;
  }
}
