package io.mailstream.core.rules;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * Class w, the names this host accepts mail for as its own: FEATURE(use_cw_file) reads them from
 * {@code /etc/mail/local-host-names} ("a list of your aliases (one per line)", several per line and
 * {@code #} comments also work), and the configuration may add more (LOCAL_DOMAIN, {@code Cw}).
 *
 * <p>Membership is exact: sendmail matches {@code $=w} against the whole domain, so listing {@code
 * example.com} does not make {@code mail.example.com} local. Names compare without case and a
 * trailing dot is ignored.
 */
public final class LocalHostNames {
  private static final LocalHostNames EMPTY = new LocalHostNames(NameClass.EMPTY);

  private final NameClass names;

  private LocalHostNames(NameClass names) {
    this.names = names;
  }

  /**
   * Reads {@code file} (null for none) and adds {@code extra}, the names given in the configuration.
   * A missing file is an error, as for FEATURE(use_cw_file) without the {@code -o} flag.
   */
  public static LocalHostNames load(Path file, Collection<String> extra) throws MapFileException {
    return new LocalHostNames(NameClass.load(file, false, extra));
  }

  /** Names from the configuration only. */
  public static LocalHostNames of(Collection<String> names) throws MapFileException {
    return load(null, names);
  }

  public static LocalHostNames empty() {
    return EMPTY;
  }

  /** True when {@code domain} is one of this host's names. */
  public boolean contains(String domain) {
    return domain != null && names.exact(DomainNames.key(domain)) != null;
  }

  /** As {@link #contains(String)}, recording the entry that matched. */
  public boolean contains(String domain, Trace trace) {
    MapEntry e = domain == null ? null : names.exact(DomainNames.key(domain));
    if (e == null) {
      trace.note("class w: " + domain + " is not a local host name");
      return false;
    }
    trace.matched(e, "class w (local host name)");
    return true;
  }

  /** The names, lower case without trailing dots, in file order then configuration order. */
  public Set<String> names() {
    return names.keys();
  }
}
