package io.mailstream.ops.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The mailstream.yaml being built: keys with their values and, for each, the sendmail.mc line it
 * came from, written as a comment. Keys come out in the order of the documented mailstream.yaml.
 */
final class ConfigDraft {
  private static final List<String> ORDER =
      List.of(
          "hostname", "listen", "tls.cert", "tls.key",
          "smtp.banner", "smtp.greet-pause", "smtp.command-timeout", "smtp.bad-rcpt-throttle", "smtp.max-connections", "smtp.privacy",
          "auth.users", "auth.allow-plaintext",
          "local-domains", "smart-host", "smart-host-mailer",
          "limits.max-message-size", "limits.max-recipients", "limits.max-hops",
          "delivery.connect-timeout", "delivery.queue-lifetime", "delivery.queue-warn",
          "routing.mailertable", "routing.virtusertable", "routing.aliases", "routing.domaintable",
          "routing.genericstable", "routing.local-host-names", "routing.relay-domains", "routing.access",
          "routing.authinfo",
          "routing.relay-hosts-only", "routing.mail-hub",
          "routing.virtuser-domains", "routing.virtuser-entire-domain", "routing.generics-domains",
          "routing.generics-entire-domain",
          "masquerade.as", "masquerade.domains", "masquerade.exceptions", "masquerade.exposed-users",
          "masquerade.entire-domain", "masquerade.envelope", "masquerade.all",
          "masquerade.always-add-domain", "masquerade.limited",
          "mailers.relay", "mailers.esmtp", "mailers.smtp", "mailers.smtp8", "mailers.dsmtp");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./@+:-]*");
  private static final List<String> YAML_WORDS =
      List.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

  private record Scalar(Object value, String origin) {}

  // A commented-out item is written as a YAML comment: a setting the admin must complete first.
  private record Item(String value, String origin, boolean commented) {}

  private final Map<String, Scalar> scalars = new LinkedHashMap<>();
  private final Map<String, List<Item>> lists = new LinkedHashMap<>();

  /** Sets a single value (text, number or boolean); a later call wins, as in sendmail.mc. */
  void set(String key, Object value, String origin) {
    check(key);
    scalars.put(key, new Scalar(value, origin));
  }

  /** Adds {@code value} to the list {@code key} unless it is there already (without case). */
  void add(String key, String value, String origin) {
    add(key, value, origin, false);
  }

  /**
   * Adds {@code value} to the list {@code key} as a comment: written where it belongs, but not read
   * until the admin removes the {@code #}. A list of such items only is written as a comment too.
   */
  void addCommented(String key, String value, String origin) {
    add(key, value, origin, true);
  }

  private void add(String key, String value, String origin, boolean commented) {
    check(key);
    List<Item> items = lists.computeIfAbsent(key, k -> new ArrayList<>());
    if (items.stream().noneMatch(i -> i.value().equalsIgnoreCase(value))) {
      items.add(new Item(value, origin, commented));
    }
  }

  /** Whether {@code key} is set; a list of commented-out items only is not. */
  boolean has(String key) {
    return scalars.containsKey(key) || lists.getOrDefault(key, List.of()).stream().anyMatch(i -> !i.commented());
  }

  private boolean written(String key) {
    return scalars.containsKey(key) || lists.containsKey(key);
  }

  /** The YAML text: {@code header} and {@code footer} lines become comments. */
  String yaml(List<String> header, List<String> footer) {
    StringBuilder out = new StringBuilder();
    header.forEach(h -> out.append(comment("", h)));
    String section = "";
    for (String key : ORDER) {
      if (!written(key)) {
        continue;
      }
      int dot = key.indexOf('.');
      String s = dot < 0 ? "" : key.substring(0, dot);
      String name = key.substring(dot + 1);
      String indent = s.isEmpty() ? "" : "  ";
      if (s.isEmpty() || !s.equals(section)) {
        out.append('\n');
        if (!s.isEmpty()) {
          out.append(s).append(":\n");
        }
      }
      section = s;
      Scalar v = scalars.get(key);
      if (v != null) {
        out.append(comment(indent, v.origin()));
        out.append(indent).append(name).append(": ").append(value(v.value())).append('\n');
      } else {
        // Only commented items: the key is a comment as well, so that the default still applies.
        String keyHash = has(key) ? "" : "# ";
        out.append(indent).append(keyHash).append(name).append(":\n");
        for (Item i : lists.get(key)) {
          out.append(indent).append(i.commented() ? "#" : " ").append(" - ").append(value(i.value()))
              .append("  # ").append(i.origin()).append('\n');
        }
      }
    }
    if (!footer.isEmpty()) {
      out.append('\n');
      footer.forEach(f -> out.append(comment("", f)));
    }
    return out.toString();
  }

  private static String comment(String indent, String text) {
    return text.isEmpty() ? indent + "#\n" : indent + "# " + text + "\n";
  }

  /** A YAML scalar: plain where that reads back as the same text, double-quoted otherwise. */
  static String value(Object v) {
    if (!(v instanceof String s)) {
      return String.valueOf(v);
    }
    if (PLAIN.matcher(s).matches() && !s.endsWith(":") && !YAML_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
      return s;
    }
    return "\""
        + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
        + "\"";
  }

  private static void check(String key) {
    if (!ORDER.contains(key)) {
      throw new IllegalArgumentException("not a mailstream.yaml key: " + key);
    }
  }
}
