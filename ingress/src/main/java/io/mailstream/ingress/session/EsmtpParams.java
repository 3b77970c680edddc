package io.mailstream.ingress.session;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ESMTP parameters after a MAIL or RCPT path: {@code KEYWORD[=value]} separated by spaces
 * (RFC 5321 4.1.2, {@code esmtp-param}). Keywords compare without case.
 */
final class EsmtpParams {
  private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

  private EsmtpParams() {}

  /**
   * Reads the parameter text, upper-casing keywords; a keyword without value maps to "".
   *
   * @throws IllegalArgumentException naming the malformed or repeated parameter
   */
  static Map<String, String> parse(String text) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String token : text.split(" +")) {
      if (token.isEmpty()) {
        continue;
      }
      int eq = token.indexOf('=');
      String keyword = eq < 0 ? token : token.substring(0, eq);
      String value = eq < 0 ? "" : token.substring(eq + 1);
      if (!KEYWORD.matcher(keyword).matches() || (eq >= 0 && !isEsmtpValue(value))) {
        throw new IllegalArgumentException(token);
      }
      if (params.put(keyword.toUpperCase(Locale.ROOT), value) != null) {
        throw new IllegalArgumentException(keyword + " given twice");
      }
    }
    return params;
  }

  // RFC 5321 4.1.2: esmtp-value = 1*(%d33-60 / %d62-126), widened to UTF-8 by RFC 6531.
  private static boolean isEsmtpValue(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 33 || c == '=' || c == 127) {
        return false;
      }
    }
    return true;
  }
}
