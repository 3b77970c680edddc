package io.mailstream.ingress.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) answering from records the test adds, so
 * that no query leaves the machine. Names starting with {@code servfail.} answer SERVFAIL, names
 * given to {@link #silence} are never answered; unknown names are NXDOMAIN.
 */
public final class FakeDns implements AutoCloseable {
  private final DatagramSocket socket;
  private final Map<String, List<Record>> zone = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private final java.util.Set<String> silent = ConcurrentHashMap.newKeySet();

  private FakeDns(DatagramSocket socket) {
    this.socket = socket;
  }

  public static FakeDns start() throws IOException {
    FakeDns dns = new FakeDns(new DatagramSocket(0, InetAddress.getByName("127.0.0.1")));
    Thread t = new Thread(dns::serve, "fake-dns");
    t.setDaemon(true);
    t.start();
    return dns;
  }

  public FakeDns add(Record r) {
    zone.computeIfAbsent(key(r.getName().toString(), r.getType()), k -> new ArrayList<>()).add(r);
    return this;
  }

  /** Never answers queries for {@code name} (absolute, with the final dot). */
  public FakeDns silence(String name) {
    silent.add(name.toLowerCase(Locale.ROOT));
    return this;
  }

  /** A resolver that asks only this server, giving up after {@code timeout}. */
  public SimpleResolver resolver(Duration timeout) throws IOException {
    SimpleResolver r = new SimpleResolver(InetAddress.getByName("127.0.0.1"));
    r.setPort(socket.getLocalPort());
    r.setTimeout(timeout);
    return r;
  }

  /** How many queries arrived. */
  public int queries() {
    return queries.get();
  }

  private static String key(String name, int type) {
    return name.toLowerCase(Locale.ROOT) + "/" + type;
  }

  private void serve() {
    byte[] buf = new byte[4096];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        queries.incrementAndGet();
        Message query = new Message(Arrays.copyOf(p.getData(), p.getLength()));
        Record q = query.getQuestion();
        String name = q.getName().toString().toLowerCase(Locale.ROOT);
        if (silent.contains(name)) {
          continue;
        }
        Message resp = new Message(query.getHeader().getID());
        resp.getHeader().setFlag(Flags.QR);
        resp.getHeader().setFlag(Flags.AA);
        resp.addRecord(q, Section.QUESTION);
        boolean known = zone.keySet().stream().anyMatch(k -> k.startsWith(name + "/"));
        if (name.startsWith("servfail.")) {
          resp.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (!known) {
          resp.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
          for (Record r : zone.getOrDefault(key(name, q.getType()), List.of())) {
            resp.addRecord(r, Section.ANSWER);
          }
        }
        byte[] out = resp.toWire();
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (IOException e) {
        if (!socket.isClosed()) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
