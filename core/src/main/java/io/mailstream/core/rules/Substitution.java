package io.mailstream.core.rules;

import java.util.List;

/**
 * sendmail's {@code %n} expansion of a map value (map_rewrite in map.c): {@code %0} is the key that
 * was looked up, {@code %1}, {@code %2}, ... the arguments the rule passed. A number without an
 * argument expands to nothing; {@code %} before any other character yields that character, so
 * {@code %%} is a single {@code %}.
 */
public final class Substitution {
  private Substitution() {}

  public static String apply(String template, List<String> args) {
    if (template == null || template.indexOf('%') < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (++i == template.length()) {
        break;
      }
      char n = template.charAt(i);
      if (n >= '0' && n <= '9') {
        int index = n - '0';
        if (index < args.size() && args.get(index) != null) {
          out.append(args.get(index));
        }
      } else {
        out.append(n);
      }
    }
    return out.toString();
  }
}
