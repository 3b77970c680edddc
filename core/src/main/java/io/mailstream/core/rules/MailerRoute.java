package io.mailstream.core.rules;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where a mailertable entry sends a recipient: to a host over an SMTP mailer, to a local user, or
 * nowhere ({@link ErrorReply}).
 */
public sealed interface MailerRoute permits MailerRoute.Relay, MailerRoute.Local, ErrorReply {

  /**
   * {@code mailer:host}: deliver with an SMTP mailer to the hosts, tried in order like MX records.
   *
   * @param mailer smtp, esmtp, smtp8, relay or dsmtp
   * @param hosts at least one; sendmail reads {@code esmtp:[a]:[b]} as "a, then b" (op.me 5.1.5)
   * @param recipient the address to give that host instead of the original one, for {@code
   *     mailer:user@host} entries; null otherwise
   */
  record Relay(String mailer, List<Host> hosts, String recipient) implements MailerRoute {
    public Relay {
      Objects.requireNonNull(mailer, "mailer");
      hosts = List.copyOf(hosts);
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("a relay needs a host");
      }
    }

    @Override
    public String toString() {
      String h = hosts.stream().map(Host::toString).collect(Collectors.joining(":"));
      return mailer + ":" + (recipient == null ? h : recipient.substring(0, recipient.lastIndexOf('@') + 1) + h);
    }
  }

  /**
   * One host of a relay route.
   *
   * @param name a host name or an address literal's inside ({@code 192.0.2.1}, {@code
   *     IPv6:2001:db8::1}), without brackets
   * @param mxLookup false when the entry put the host in brackets: connect to its address records
   *     only. The cf/README: "The [square brackets] turn off MX records for this host only."
   */
  record Host(String name, boolean mxLookup) {
    @Override
    public String toString() {
      return mxLookup ? name : "[" + name + "]";
    }
  }

  /**
   * {@code local:user} or {@code local:}: deliver with the local mailer.
   *
   * @param user the local user; for {@code local:} the recipient's own local part ("will forward to
   *     the original user in the e-mail address using the local mailer")
   */
  record Local(String user) implements MailerRoute {
    public Local {
      Objects.requireNonNull(user, "user");
    }

    @Override
    public String toString() {
      return "local:" + user;
    }
  }
}
