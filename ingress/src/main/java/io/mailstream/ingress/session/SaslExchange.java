package io.mailstream.ingress.session;

import io.mailstream.core.smtp.Reply;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * One AUTH exchange (RFC 4954) for the mechanisms Mailstream offers: PLAIN (RFC 4616) and LOGIN
 * (draft-murchison-sasl-login). It turns the client's base64 lines into credentials; it checks
 * nothing itself.
 */
public final class SaslExchange {
  /** The mechanisms offered, in the order EHLO lists them. */
  static final String MECHANISMS = "PLAIN LOGIN";

  /** What the exchange needs next. */
  public sealed interface Step permits Challenge, Credentials, Failed {}

  /** Send this 334 challenge and wait for the client's answer. */
  public record Challenge(Reply reply) implements Step {}

  /** The client has said who it is; the password is to be checked. */
  public record Credentials(String mechanism, String authzid, String authcid, char[] password) implements Step {}

  /** The exchange ended without credentials. */
  public record Failed(Reply reply) implements Step {}

  private static final Challenge EMPTY = new Challenge(Reply.of(334, null, ""));
  // draft-murchison-sasl-login: the prompts every client expects, base64 of "Username:" and
  // "Password:".
  private static final Challenge USERNAME = new Challenge(Reply.of(334, null, "VXNlcm5hbWU6"));
  private static final Challenge PASSWORD = new Challenge(Reply.of(334, null, "UGFzc3dvcmQ6"));

  private final String mechanism;
  private String loginUser;

  private SaslExchange(String mechanism) {
    this.mechanism = mechanism;
  }

  /** Whether {@code name} is a mechanism we offer. */
  static boolean offers(String name) {
    String m = name.toUpperCase(Locale.ROOT);
    return m.equals("PLAIN") || m.equals("LOGIN");
  }

  static SaslExchange of(String name) {
    return new SaslExchange(name.toUpperCase(Locale.ROOT));
  }

  /** The first step, with the initial response if the AUTH command carried one (RFC 4954 4). */
  Step start(String initialResponse) {
    if (initialResponse == null) {
      return mechanism.equals("PLAIN") ? EMPTY : USERNAME;
    }
    // "=" stands for an empty initial response, which neither mechanism can use.
    return respond(initialResponse.equals("=") ? "" : initialResponse);
  }

  /** The client's answer to the last challenge. */
  Step respond(String line) {
    if (line.equals("*")) {
      return new Failed(SecurityReplies.authAborted());
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(line);
    } catch (IllegalArgumentException e) {
      return new Failed(SecurityReplies.authCannotDecode());
    }
    return mechanism.equals("PLAIN") ? plain(decoded) : login(decoded);
  }

  // RFC 4616 2: message = [authzid] UTF8NUL authcid UTF8NUL passwd
  private Step plain(byte[] message) {
    int first = indexOf(message, 0);
    int second = first < 0 ? -1 : indexOf(message, first + 1);
    if (second < 0 || indexOf(message, second + 1) >= 0) {
      return new Failed(SecurityReplies.authCannotDecode());
    }
    String authzid = utf8(message, 0, first);
    String authcid = utf8(message, first + 1, second);
    char[] password = utf8Chars(message, second + 1, message.length);
    if (authzid == null || authcid == null || password == null || authcid.isEmpty()) {
      return new Failed(SecurityReplies.authCannotDecode());
    }
    return new Credentials(mechanism, authzid, authcid, password);
  }

  private Step login(byte[] answer) {
    if (loginUser == null) {
      loginUser = utf8(answer, 0, answer.length);
      if (loginUser == null || loginUser.isEmpty()) {
        return new Failed(SecurityReplies.authCannotDecode());
      }
      return PASSWORD;
    }
    char[] password = utf8Chars(answer, 0, answer.length);
    if (password == null) {
      return new Failed(SecurityReplies.authCannotDecode());
    }
    return new Credentials(mechanism, "", loginUser, password);
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static String utf8(byte[] b, int from, int to) {
    char[] c = utf8Chars(b, from, to);
    return c == null ? null : new String(c);
  }

  // Strict UTF-8: a malformed identity must not turn into another one by replacement characters.
  private static char[] utf8Chars(byte[] b, int from, int to) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b, from, to - from));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      return out;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
