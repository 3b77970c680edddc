package io.mailstream.core.rules.rewrite;

import io.mailstream.core.rules.DomainNames;
import io.mailstream.core.rules.MapEntry;
import io.mailstream.core.rules.MapFile;
import io.mailstream.core.rules.MapFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One of sendmail's host-name classes: {@code w} (local host names), {@code M}
 * (MASQUERADE_DOMAIN), {@code N} (MASQUERADE_EXCEPTION), {@code G} (GENERICS_DOMAIN). Names compare
 * without case and without a trailing dot, as sendmail's class matching does; each name remembers
 * where it came from so that a trace can say {@code class {M} dept.example (masq-domains:3)}.
 * Immutable.
 */
public final class DomainClass {
  private final String name;
  private final Map<String, String> members;

  private DomainClass(String name, Map<String, String> members) {
    this.name = name;
    this.members = Map.copyOf(members);
  }

  /** An empty class; {@code name} is the class letter, for traces ({@code M}). */
  public static DomainClass empty(String name) {
    return new DomainClass(name, Map.of());
  }

  /** The names given in the .mc file ({@code MASQUERADE_DOMAIN(`a.example b.example')}). */
  public static DomainClass of(String name, Collection<String> domains) {
    Map<String, String> members = new LinkedHashMap<>();
    for (String d : domains) {
      for (String one : d.strip().split("[ \\t]+")) {
        if (!one.isEmpty()) {
          members.putIfAbsent(key(one), "C{" + name + "}");
        }
      }
    }
    return new DomainClass(name, members);
  }

  /** Reads a class file ({@code MASQUERADE_DOMAIN_FILE}): names separated by white space, # comments. */
  public static DomainClass read(String name, Path file) throws MapFileException {
    Map<String, String> members = new LinkedHashMap<>();
    for (MapEntry e : MapFile.readNames(file)) {
      members.putIfAbsent(key(e.key()), e.where());
    }
    return new DomainClass(name, members);
  }

  /** This class and {@code other} together (MASQUERADE_DOMAIN plus MASQUERADE_DOMAIN_FILE). */
  public DomainClass plus(DomainClass other) {
    Map<String, String> all = new LinkedHashMap<>(members);
    other.members.forEach(all::putIfAbsent);
    return new DomainClass(name, all);
  }

  /** The class with {@code domain} added (sendmail puts $j into class w itself). */
  public DomainClass with(String domain) {
    return plus(of(name, Set.of(domain)));
  }

  public String name() {
    return name;
  }

  /** The members as lower-case keys without trailing dots. */
  public Set<String> names() {
    return members.keySet();
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /**
   * The member that {@code domain} matches, for a trace: the domain itself, or with {@code
   * subdomains} also a parent on a label boundary ({@code a.dept.example} is under {@code
   * dept.example}, {@code xdept.example} is not). Address literals only match exactly.
   */
  public Optional<String> match(String domain, boolean subdomains) {
    String k = key(domain);
    if (members.containsKey(k)) {
      return Optional.of(describe(k));
    }
    if (!subdomains || k.startsWith("[")) {
      return Optional.empty();
    }
    for (int dot = k.indexOf('.'); dot >= 0; dot = k.indexOf('.', dot + 1)) {
      String parent = k.substring(dot + 1);
      if (members.containsKey(parent)) {
        return Optional.of(describe(parent));
      }
    }
    return Optional.empty();
  }

  private String describe(String member) {
    return "class {" + name + "} " + member + " (" + members.get(member) + ")";
  }

  /** Lower case, one trailing dot removed: {@code Example.COM.} is {@code example.com}. */
  static String key(String domain) {
    return DomainNames.key(domain);
  }

  @Override
  public String toString() {
    return "{" + name + "}" + members.keySet();
  }
}
