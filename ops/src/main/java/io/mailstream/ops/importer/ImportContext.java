package io.mailstream.ops.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the translators share: the draft config, the report, the files and the .mc's definitions. */
final class ImportContext {
  /** A define() as the .mc made it. */
  record Definition(String value, int line) {}

  static final String DEFAULT_SETTINGS_DIR = "/etc/mail/";

  final ConfigDraft draft = new ConfigDraft();
  final MapFiles files;
  private final List<ReportLine> report = new ArrayList<>();
  private final Map<String, Definition> defines = new HashMap<>();
  // Names the .mc defined and then used inside other values: helpers, not settings.
  private final Set<String> expanded = new HashSet<>();

  ImportContext(MapFiles files) {
    this.files = files;
  }

  void define(String name, String value, int line) {
    defines.put(name, new Definition(value, line));
  }

  void undefine(String name) {
    defines.remove(name);
  }

  Definition definition(String name) {
    return defines.get(name);
  }

  /** The raw value of a macro for m4's expansion of bare names, or null. */
  String macro(String name) {
    Definition d = defines.get(name);
    if (d != null) {
      expanded.add(name);
      return d.value();
    }
    return name.equals("MAIL_SETTINGS_DIR") ? DEFAULT_SETTINGS_DIR : null;
  }

  /** MAIL_SETTINGS_DIR as it stands, ending in a slash. */
  String settingsDir() {
    String d = expand(macro("MAIL_SETTINGS_DIR")).strip();
    return d.endsWith("/") ? d : d + "/";
  }

  /**
   * A value as sendmail.cf finally gets it: m4 rescans macro bodies, so names the .mc defined are
   * replaced by their values and the remaining quotes go.
   */
  String expand(String value) {
    return expand(value, 0);
  }

  private String expand(String value, int depth) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '_' || Character.isLetter(c)) {
        int start = i;
        while (i < value.length() && (value.charAt(i) == '_' || Character.isLetterOrDigit(value.charAt(i)))) {
          i++;
        }
        String word = value.substring(start, i);
        String v = depth < 10 ? macro(word) : null;
        out.append(v == null ? word : expand(v, depth + 1));
      } else {
        if (c != '`' && c != '\'') {
          out.append(c);
        }
        i++;
      }
    }
    return out.toString();
  }

  /** Whether the .mc used {@code name} inside another value, as a helper macro. */
  boolean wasExpanded(String name) {
    return expanded.contains(name);
  }

  void report(McEvent.Call c, String status, String reason) {
    report.add(new ReportLine(c.line(), label(c), status, reason));
  }

  void report(int line, String macro, String status, String reason) {
    report.add(new ReportLine(line, macro, status, reason));
  }

  /** The report in sendmail.mc order. */
  List<ReportLine> report() {
    List<ReportLine> sorted = new ArrayList<>(report);
    sorted.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return sorted;
  }

  /** How comments and the report name a call: {@code define(SMART_HOST)}, {@code FEATURE(x)}. */
  static String label(McEvent.Call c) {
    String own = switch (c.name()) {
      case "define", "undefine", "FEATURE", "DOMAIN", "include", "sinclude", "MAILER", "OSTYPE" ->
          c.name() + "(" + c.arg(0) + ")";
      default -> c.name();
    };
    return c.via() == null ? own : c.via() + " " + own;
  }

  /** The YAML comment for a key that came from {@code c}: {@code sendmail.mc:12 define(SMART_HOST)}. */
  static String origin(McEvent.Call c) {
    return "sendmail.mc:" + c.line() + " " + label(c);
  }
}
