package io.mailstream.core.smtp;

import java.util.Locale;

/** What sendmail's STARTTLS log lines say about a TLS session's cipher suite. */
public final class CipherSuites {
  private CipherSuites() {}

  /**
   * The symmetric key length in bits, as sendmail logs it in {@code bits=}: JSSE's session does
   * not say, the suite's name does; 0 when it is not one of the suites TLS 1.2 and 1.3 use.
   */
  public static int keyBits(String cipher) {
    String c = cipher.toUpperCase(Locale.ROOT);
    if (c.contains("AES_256") || c.contains("CHACHA20")) {
      return 256;
    }
    if (c.contains("AES_128")) {
      return 128;
    }
    return 0;
  }
}
