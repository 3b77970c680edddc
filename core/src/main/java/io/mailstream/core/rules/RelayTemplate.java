package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mailer:host} value of a mailertable entry with its {@code %n} still in place
 * (MailerToTriple in proto.m4): the host part is a colon-separated list of hosts, each in brackets
 * or not, and {@code mailer:user@host} also replaces the recipient.
 */
final class RelayTemplate {
  private final String mailer;
  private final List<MailerRoute.Host> hosts;
  private final String user;

  private RelayTemplate(String mailer, List<MailerRoute.Host> hosts, String user) {
    this.mailer = mailer;
    this.hosts = hosts;
    this.user = user;
  }

  /**
   * Checks and splits what follows {@code mailer:}.
   *
   * @throws IllegalArgumentException with the reason
   */
  static MailerTable.Template parse(String mailer, String rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("missing host after '" + mailer + ":'");
    }
    if (rest.matches(".*\\s.*")) {
      throw new IllegalArgumentException("'" + rest + "' contains white space; expected " + mailer + ":host");
    }
    String user = null;
    String hostPart = rest;
    int at = rest.indexOf('@');
    if (at >= 0) {
      user = rest.substring(0, at);
      hostPart = rest.substring(at + 1);
      if (user.isEmpty() || hostPart.isEmpty()) {
        throw new IllegalArgumentException("expected " + mailer + ":user@host, got '" + mailer + ":" + rest + "'");
      }
    }
    List<MailerRoute.Host> hosts = new ArrayList<>();
    for (String h : splitHosts(hostPart)) {
      hosts.add(host(mailer, h));
    }
    RelayTemplate t = new RelayTemplate(mailer, List.copyOf(hosts), user);
    return t::resolve;
  }

  private static MailerRoute.Host host(String mailer, String h) {
    boolean bracketed = h.startsWith("[") && h.endsWith("]");
    String name = bracketed ? h.substring(1, h.length() - 1) : h;
    if (name.isEmpty() || name.contains("[") || name.contains("]")) {
      throw new IllegalArgumentException("bad host '" + h + "' after '" + mailer + ":'");
    }
    if (name.chars().allMatch(Character::isDigit)) {
      // sendmail would read esmtp:[gw]:2525 as "gw, then a host named 2525"; the port belongs to the
      // mailer (its TCP $h port arguments, Mailstream's mailers.<name> setting).
      throw new IllegalArgumentException("':" + name + "' is not a port in sendmail's syntax but a second host;"
          + " set the port per mailer (mailers." + mailer + ")");
    }
    return new MailerRoute.Host(name, !bracketed);
  }

  /** Splits {@code a:[b]:[IPv6:2001:db8::1]} at the colons outside brackets. */
  static List<String> splitHosts(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == ':' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  private MailerRoute resolve(MailAddress recipient, List<String> args) {
    List<MailerRoute.Host> resolved = new ArrayList<>(hosts.size());
    for (MailerRoute.Host h : hosts) {
      resolved.add(new MailerRoute.Host(Substitution.apply(h.name(), args), h.mxLookup()));
    }
    String rcpt = null;
    if (user != null) {
      rcpt = Substitution.apply(user, args) + "@" + resolved.get(0);
    }
    return new MailerRoute.Relay(mailer, resolved, rcpt);
  }
}
