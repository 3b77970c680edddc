package io.mailstream.ingress.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;

/**
 * The client's host name, looked up when it connects as sendmail does: the PTR record of its
 * address, accepted only when that name's own A or AAAA records lead back to the address
 * (otherwise anyone who controls a reverse zone could claim to be {@code mail.bank.example}).
 * The name is what the Received header, the mail log's {@code relay=} and the access
 * database's {@code Connect:} host entries see. Look-ups are asynchronous and cached; one that
 * fails or takes too long gives no name, never a refusal.
 */
public final class ClientNames {
  // sendmail waits Timeout.resolver.retrans (5 s) per try; one connection should not wait longer
  // than two tries in all.
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final int MOST_NAMES = 4;

  private final LookupSession dns;
  private final boolean lookUpLoopback;

  private ClientNames(LookupSession dns, boolean lookUpLoopback) {
    this.dns = dns;
    this.lookUpLoopback = lookUpLoopback;
  }

  /**
   * Names from the system's resolvers (resolv.conf). Loopback clients are not looked up: no name
   * server has a say over 127.0.0.0/8, and a name that was not confirmed must grant nothing (a
   * loopback client called {@code localhost} was once taken for this host, class w, and allowed
   * to relay). They are shown as {@code localhost} all the same ({@code Peer.displayName}).
   */
  public static ClientNames system() {
    // A resolver of our own: setting the time-out on dnsjava's shared default would change it for
    // the delivery stage's MX look-ups too.
    Resolver resolver = new ExtendedResolver();
    resolver.setTimeout(Duration.ofSeconds(5));
    return new ClientNames(session(resolver), false);
  }

  /** Names from {@code resolver} alone, loopback clients included. */
  public static ClientNames using(Resolver resolver) {
    return new ClientNames(session(resolver), true);
  }

  /** No look-ups: every client is known by its address alone. */
  public static ClientNames none() {
    return new ClientNames(null, false);
  }

  private static LookupSession session(Resolver resolver) {
    return LookupSession.builder().resolver(resolver).cache(new Cache(DClass.IN)).build();
  }

  /** The confirmed name of {@code address}, lower case without the final dot, or null. */
  public CompletableFuture<String> nameOf(InetAddress address) {
    if (dns == null || address.isLoopbackAddress() && !lookUpLoopback) {
      return CompletableFuture.completedFuture(null);
    }
    return dns.lookupAsync(ReverseMap.fromAddress(address), Type.PTR)
        .toCompletableFuture()
        .thenCompose(ptr -> confirmed(ptr.getRecords().stream()
            .filter(PTRRecord.class::isInstance)
            .map(r -> ((PTRRecord) r).getTarget())
            .limit(MOST_NAMES)
            .toList(), address, 0))
        .exceptionally(e -> null)
        .completeOnTimeout(null, DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  // The names in PTR order; the first whose forward records hold the address wins.
  private CompletableFuture<String> confirmed(List<Name> names, InetAddress address, int i) {
    if (i >= names.size()) {
      return CompletableFuture.completedFuture(null);
    }
    Name name = names.get(i);
    int type = address instanceof Inet4Address ? Type.A : Type.AAAA;
    return dns.lookupAsync(name, type)
        .toCompletableFuture()
        .handle((forward, error) -> error == null && forward.getRecords().stream().anyMatch(r -> pointsTo(r, address)))
        .thenCompose(ok -> ok ? CompletableFuture.completedFuture(text(name)) : confirmed(names, address, i + 1));
  }

  private static boolean pointsTo(org.xbill.DNS.Record r, InetAddress address) {
    if (r instanceof ARecord a) {
      return a.getAddress().equals(address);
    }
    return r instanceof AAAARecord aaaa && aaaa.getAddress().equals(address);
  }

  private static String text(Name name) {
    String s = name.toString(true);
    return s.toLowerCase(Locale.ROOT);
  }
}
