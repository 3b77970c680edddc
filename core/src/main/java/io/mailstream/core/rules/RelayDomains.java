package io.mailstream.core.rules;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Class R, the hosts and domains mail may be relayed to and from: {@code /etc/mail/relay-domains}
 * (confCR_FILE) plus RELAY_DOMAIN names from the configuration.
 *
 * <p>By default a name covers its subdomains. The cf/README (relay_hosts_only): "By default, names
 * that are listed as RELAY in the access db and class {R} are treated as domain names, not host
 * names. For example, if you specify ``foo.com'', then mail to or from foo.com, abc.foo.com, or
 * a.very.deep.domain.foo.com will all be accepted for relaying. This feature changes the behaviour
 * to look up individual host names only." Matching is on label boundaries ({@code badfoo.com} is
 * not under {@code foo.com}), without case, ignoring a trailing dot.
 *
 * <p>The file may also hold client networks ({@code 128.32}, {@code IPv6:2002:c0a8:02c7}); {@link
 * #containsClientAddress} matches those the way sendmail's {@code R$=R $*} does, by whole leading
 * components of the address.
 */
public final class RelayDomains {
  private static final RelayDomains EMPTY = new RelayDomains(NameClass.EMPTY, false);

  private final NameClass names;
  private final boolean hostsOnly;

  private RelayDomains(NameClass names, boolean hostsOnly) {
    this.names = names;
    this.hostsOnly = hostsOnly;
  }

  /**
   * Reads {@code file} (null for none) and adds {@code extra}. A missing file is no error: the cf
   * files read it with {@code -o} ("By default, this file does not exist", seed 002).
   *
   * @param hostsOnly FEATURE(relay_hosts_only): names match exactly, not their subdomains
   */
  public static RelayDomains load(Path file, Collection<String> extra, boolean hostsOnly) throws MapFileException {
    return new RelayDomains(NameClass.load(file, true, extra), hostsOnly);
  }

  /** Names from the configuration only. */
  public static RelayDomains of(Collection<String> names, boolean hostsOnly) throws MapFileException {
    return load(null, names, hostsOnly);
  }

  public static RelayDomains empty() {
    return EMPTY;
  }

  public boolean hostsOnly() {
    return hostsOnly;
  }

  /** True when mail to or from {@code domain} may be relayed. */
  public boolean contains(String domain) {
    return find(domain) != null;
  }

  /** As {@link #contains(String)}, recording the entry that matched. */
  public boolean contains(String domain, Trace trace) {
    MapEntry e = find(domain);
    if (e == null) {
      trace.note("class R: " + domain + " is not listed" + (hostsOnly ? " (relay_hosts_only)" : ""));
      return false;
    }
    boolean parent = !DomainNames.key(e.key()).equals(DomainNames.key(domain));
    trace.matched(e, "class R (relaying allowed)" + (parent ? " for " + domain : ""));
    return true;
  }

  /**
   * True when a client at {@code address} ({@code 192.0.2.7}, or {@code IPv6:2001:db8::7} in
   * sendmail's spelling) is listed, whole or by a leading part such as {@code 192.0.2}.
   */
  public boolean containsClientAddress(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    for (String name : names.keys()) {
      if (a.equals(name)
          || (a.startsWith(name) && (a.charAt(name.length()) == '.' || a.charAt(name.length()) == ':'))) {
        return true;
      }
    }
    return false;
  }

  public Set<String> names() {
    return names.keys();
  }

  private MapEntry find(String domain) {
    if (domain == null) {
      return null;
    }
    String key = DomainNames.key(domain);
    return hostsOnly ? names.exact(key) : names.nearest(key);
  }
}
