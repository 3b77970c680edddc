package io.mailstream.core.smtp;

import java.util.regex.Pattern;

/**
 * An RFC 3463 enhanced mail system status code, such as {@code 5.7.1}.
 *
 * <p>The constants are the codes Mailstream itself emits; {@link #parse} reads those a remote
 * server sends back. Their first digit must agree with the reply code they travel with (RFC 2034).
 */
public record EnhancedStatus(int klass, int subject, int detail) {
  // RFC 3463 2: class "." subject "." detail; class is one digit, the others 1*3digit. Digits only:
  // Integer.parseInt alone would also take "+5" and "-1".
  private static final Pattern SYNTAX = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

  public static final EnhancedStatus X_2_0_0 = new EnhancedStatus(2, 0, 0);
  public static final EnhancedStatus X_2_1_0 = new EnhancedStatus(2, 1, 0);
  public static final EnhancedStatus X_2_1_5 = new EnhancedStatus(2, 1, 5);
  public static final EnhancedStatus X_2_5_0 = new EnhancedStatus(2, 5, 0);
  public static final EnhancedStatus X_2_6_0 = new EnhancedStatus(2, 6, 0);
  public static final EnhancedStatus X_2_7_0 = new EnhancedStatus(2, 7, 0);
  public static final EnhancedStatus X_4_3_0 = new EnhancedStatus(4, 3, 0);
  /** RFC 3463 3.4: mail system full (sendmail's "Insufficient disk space"). */
  public static final EnhancedStatus X_4_3_1 = new EnhancedStatus(4, 3, 1);
  public static final EnhancedStatus X_4_3_2 = new EnhancedStatus(4, 3, 2);
  public static final EnhancedStatus X_4_4_1 = new EnhancedStatus(4, 4, 1);
  public static final EnhancedStatus X_4_4_2 = new EnhancedStatus(4, 4, 2);
  public static final EnhancedStatus X_4_4_7 = new EnhancedStatus(4, 4, 7);
  public static final EnhancedStatus X_4_5_3 = new EnhancedStatus(4, 5, 3);
  public static final EnhancedStatus X_4_7_0 = new EnhancedStatus(4, 7, 0);
  public static final EnhancedStatus X_5_0_0 = new EnhancedStatus(5, 0, 0);
  public static final EnhancedStatus X_5_1_1 = new EnhancedStatus(5, 1, 1);
  public static final EnhancedStatus X_5_1_3 = new EnhancedStatus(5, 1, 3);
  public static final EnhancedStatus X_5_1_7 = new EnhancedStatus(5, 1, 7);
  public static final EnhancedStatus X_5_3_4 = new EnhancedStatus(5, 3, 4);
  public static final EnhancedStatus X_5_4_6 = new EnhancedStatus(5, 4, 6);
  public static final EnhancedStatus X_5_5_1 = new EnhancedStatus(5, 5, 1);
  public static final EnhancedStatus X_5_5_2 = new EnhancedStatus(5, 5, 2);
  public static final EnhancedStatus X_5_5_4 = new EnhancedStatus(5, 5, 4);
  public static final EnhancedStatus X_5_6_0 = new EnhancedStatus(5, 6, 0);
  public static final EnhancedStatus X_5_6_7 = new EnhancedStatus(5, 6, 7);
  public static final EnhancedStatus X_5_7_0 = new EnhancedStatus(5, 7, 0);
  public static final EnhancedStatus X_5_7_1 = new EnhancedStatus(5, 7, 1);

  public EnhancedStatus {
    if (klass != 2 && klass != 4 && klass != 5) {
      throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5: " + klass);
    }
    if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
      throw new IllegalArgumentException("enhanced status out of range: " + subject + "." + detail);
    }
  }

  /** Reads {@code "5.1.1"}; returns null when the text is not an enhanced status code. */
  public static EnhancedStatus parse(String text) {
    if (!SYNTAX.matcher(text).matches()) {
      return null;
    }
    String[] parts = text.split("\\.");
    return new EnhancedStatus(
        Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }

  @Override
  public String toString() {
    return klass + "." + subject + "." + detail;
  }
}
