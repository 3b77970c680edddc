package io.mailstream.delivery.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * What the {@link FakeSmartHost} does at each step, changeable while it runs (sessions read it at
 * each command). Steps without a rule get the default reply of a well-behaved server.
 */
final class Script {

  /** What to do instead of the default reply. */
  sealed interface Action permits Respond, Silence, Drop {}

  /** Send these reply lines (complete, e.g. {@code 550 5.1.1 No such user}). */
  record Respond(List<String> lines) implements Action {
    int code() {
      return Integer.parseInt(lines.get(lines.size() - 1).substring(0, 3));
    }
  }

  /** Never answer; the session just reads until the client gives up. */
  record Silence() implements Action {}

  /** Close the connection without answering. */
  record Drop() implements Action {}

  static final List<String> DEFAULT_EXTENSIONS =
      List.of("SIZE 10485760", "8BITMIME", "ENHANCEDSTATUSCODES");

  private final Map<Verb, Action> rules = new ConcurrentHashMap<>();
  private final Map<Verb, Action> once = new ConcurrentHashMap<>();
  private final Map<String, Action> rcptRules = new ConcurrentHashMap<>();
  private final List<String> extensions = new CopyOnWriteArrayList<>(DEFAULT_EXTENSIONS);
  private volatile long dropMidData = -1;
  private volatile long stallMidData = -1;
  private volatile SSLContext tls;
  private volatile boolean breakHandshake;
  private volatile Map<String, String> users = Map.of();
  private volatile List<String> authMechanisms = List.of("PLAIN", "LOGIN");

  void offerStartTls(SSLContext context) {
    tls = context;
  }

  SSLContext tls() {
    return tls;
  }

  void breakHandshake(boolean on) {
    breakHandshake = on;
  }

  boolean breakHandshake() {
    return breakHandshake;
  }

  void requireAuth(Map<String, String> passwords, List<String> mechanisms) {
    users = Map.copyOf(passwords);
    authMechanisms = List.copyOf(mechanisms);
  }

  Map<String, String> users() {
    return users;
  }

  List<String> authMechanisms() {
    return authMechanisms;
  }

  void setOnce(Verb verb, Action action) {
    once.put(verb, action);
  }

  void set(Verb verb, Action action) {
    rules.put(verb, action);
  }

  void setRcpt(String address, Action action) {
    rcptRules.put(address.toLowerCase(Locale.ROOT), action);
  }

  void advertise(List<String> keywords) {
    extensions.clear();
    extensions.addAll(keywords);
  }

  void dropMidData(long afterOctets) {
    dropMidData = afterOctets;
  }

  void stallMidData(long afterOctets) {
    stallMidData = afterOctets;
  }

  void clear() {
    rules.clear();
    once.clear();
    rcptRules.clear();
    advertise(DEFAULT_EXTENSIONS);
    dropMidData = -1;
    stallMidData = -1;
    tls = null;
    breakHandshake = false;
    users = Map.of();
  }

  /** The rule for {@code verb}, or null for the default reply. */
  Action rule(Verb verb) {
    Action first = once.remove(verb);
    return first != null ? first : rules.get(verb);
  }

  /** The rule for RCPT to {@code address}: its own rule first, then the rule for every RCPT. */
  Action rcptRule(String address) {
    Action a = rcptRules.get(address.toLowerCase(Locale.ROOT));
    return a != null ? a : rules.get(Verb.RCPT);
  }

  List<String> extensions() {
    return List.copyOf(extensions);
  }

  long dropMidData() {
    return dropMidData;
  }

  long stallMidData() {
    return stallMidData;
  }
}
