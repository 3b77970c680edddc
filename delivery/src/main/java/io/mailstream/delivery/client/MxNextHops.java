package io.mailstream.delivery.client;

import io.mailstream.core.event.Destination;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Next hops by MX records (RFC 5321 5.1), with dnsjava: the exchanges in preference order, each
 * with its addresses; without MX records the domain itself (the implicit MX). Destinations in
 * brackets and IP addresses are used as they are. Answers are tri-state: addresses, a permanent
 * "no such domain" ({@link NoSuchDomainException}: NXDOMAIN or a null MX), or a temporary failure
 * ({@link UnknownHostException}) that only defers.
 */
public final class MxNextHops implements NextHops {
  private final Resolver resolver;

  public MxNextHops(Resolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public List<InetSocketAddress> resolve(Destination d) throws UnknownHostException {
    if (!d.mxLookup() || isAddress(d.host())) {
      return NextHops.direct().resolve(d);
    }
    Name domain = name(d.host());
    Lookup mx = lookup(domain, Type.MX);
    List<String> exchanges = new ArrayList<>();
    switch (mx.getResult()) {
      case Lookup.SUCCESSFUL -> {
        List<MXRecord> records = new ArrayList<>(Arrays.stream(mx.getAnswers()).map(r -> (MXRecord) r).toList());
        records.sort(Comparator.comparingInt(MXRecord::getPriority));
        for (MXRecord r : records) {
          if (r.getTarget().equals(Name.root)) {
            throw new NoSuchDomainException(d.host() + " does not accept mail (null MX, RFC 7505)");
          }
          exchanges.add(r.getTarget().toString());
        }
      }
      case Lookup.TYPE_NOT_FOUND -> exchanges.add(domain.toString()); // RFC 5321 5.1: implicit MX
      case Lookup.HOST_NOT_FOUND -> throw new NoSuchDomainException(d.host() + ": host not found");
      default -> throw new UnknownHostException(d.host() + ": MX look-up failed: " + mx.getErrorString());
    }
    List<InetSocketAddress> out = new ArrayList<>();
    UnknownHostException last = null;
    for (String exchange : exchanges) {
      try {
        // Each address carries its exchange's name, so that the mail log can say which MX host
        // took the message (relay=mx2.example. [192.0.2.2]); no reverse look-up is involved.
        String host = exchange.endsWith(".") ? exchange.substring(0, exchange.length() - 1) : exchange;
        for (InetAddress a : addresses(name(exchange))) {
          out.add(new InetSocketAddress(InetAddress.getByAddress(host, a.getAddress()), d.port()));
        }
      } catch (UnknownHostException e) {
        last = e;
      }
    }
    if (out.isEmpty()) {
      throw last != null ? last : new UnknownHostException(d.host() + ": no address for any MX host");
    }
    return out;
  }

  private List<InetAddress> addresses(Name host) throws UnknownHostException {
    List<InetAddress> out = new ArrayList<>();
    boolean temporary = false;
    for (int type : new int[] {Type.A, Type.AAAA}) {
      Lookup l = lookup(host, type);
      if (l.getResult() == Lookup.SUCCESSFUL) {
        for (Record r : l.getAnswers()) {
          out.add(r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress());
        }
      } else if (l.getResult() == Lookup.TRY_AGAIN || l.getResult() == Lookup.UNRECOVERABLE) {
        temporary = true;
      }
    }
    if (out.isEmpty()) {
      throw new UnknownHostException(host + (temporary ? ": address look-up failed" : ": no address"));
    }
    return out;
  }

  private Lookup lookup(Name name, int type) {
    Lookup l = new Lookup(name, type);
    l.setResolver(resolver);
    // dnsjava's cache is shared by every Lookup of the JVM; the resolver's answers are the truth.
    l.setCache(null);
    l.run();
    return l;
  }

  private static Name name(String host) throws UnknownHostException {
    try {
      return Name.fromString(host.endsWith(".") ? host : host + ".");
    } catch (TextParseException e) {
      throw new NoSuchDomainException(host + ": not a domain name");
    }
  }

  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }
}
