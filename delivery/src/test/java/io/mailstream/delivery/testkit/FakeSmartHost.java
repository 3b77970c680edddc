package io.mailstream.delivery.testkit;

import io.mailstream.core.event.Destination;
import io.mailstream.delivery.testkit.Script.Drop;
import io.mailstream.delivery.testkit.Script.Respond;
import io.mailstream.delivery.testkit.Script.Silence;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A real SMTP server on 127.0.0.1 (a free port) for tests of anything that sends mail. It answers
 * like a well-behaved smart host unless scripted otherwise, records what it accepts, and offers
 * waits with deadlines instead of sleeps.
 *
 * <pre>{@code
 * try (FakeSmartHost host = FakeSmartHost.start()) {
 *   host.onRcpt("nobody@example.test", "550 5.1.1 No such user");
 *   host.on(Verb.DATA_END, "451 4.3.0 Try later");
 *   ... deliver to host.destination() ...
 *   List<ReceivedMessage> got = host.awaitMessages(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * A reply starting with {@code 421} closes the connection after it is sent, as real servers do.
 * One thread per connection; fine for a test tool.
 */
public final class FakeSmartHost implements AutoCloseable {
  /** Where the host listens; never anything but the loopback interface. */
  public static final String HOST = "127.0.0.1";

  private final ServerSocket server;
  private final Thread acceptor;
  private final Script script = new Script();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final List<Thread> sessions = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  // Guarded by this; every change is followed by notifyAll() for the waits.
  private final List<ReceivedMessage> messages = new ArrayList<>();
  private final List<String> commands = new ArrayList<>();
  private final List<String> readAhead = new ArrayList<>();
  private final List<AuthAttempt> authAttempts = new ArrayList<>();
  private final List<Long> acceptedAt = new ArrayList<>();
  private int accepted;
  private int open;

  private FakeSmartHost(int port) throws IOException {
    server = new ServerSocket();
    // A small window (inherited by accepted sockets) makes a stalled session back up the client
    // after a few hundred kilobytes instead of the tens of megabytes Linux allows on loopback.
    server.setReceiveBufferSize(64 * 1024);
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 50);
    acceptor = new Thread(this::acceptLoop, "fake-smart-host-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  /** Starts a host on 127.0.0.1 with a free port. */
  public static FakeSmartHost start() throws IOException {
    return start(0);
  }

  /**
   * Starts a host on 127.0.0.1 at {@code port}, e.g. the port of a host closed earlier: a next hop
   * that was down (nothing listening, connections refused) and comes back where it was.
   */
  public static FakeSmartHost start(int port) throws IOException {
    FakeSmartHost host = new FakeSmartHost(port);
    host.acceptor.start();
    return host;
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), port());
  }

  /** A {@code relay:[127.0.0.1]:port} destination, as the router would route to this host. */
  public Destination destination() {
    return new Destination("relay", HOST, port(), false);
  }

  // ---- Script -------------------------------------------------------------------------------

  /** Answers every {@code verb} with these reply lines, e.g. {@code "550 5.7.1 Denied"}. */
  public FakeSmartHost on(Verb verb, String... replyLines) {
    script.set(verb, new Respond(List.of(replyLines)));
    return this;
  }

  /** Answers only the next {@code verb} (on any connection) with these lines, then as before. */
  public FakeSmartHost onceOn(Verb verb, String... replyLines) {
    script.setOnce(verb, new Respond(List.of(replyLines)));
    return this;
  }

  /** Closes the connection instead of answering only the next {@code verb}, then as before. */
  public FakeSmartHost dropOnceOn(Verb verb) {
    script.setOnce(verb, new Drop());
    return this;
  }

  /** Answers RCPT for {@code address} (without brackets, any case) with these lines. */
  public FakeSmartHost onRcpt(String address, String... replyLines) {
    script.setRcpt(address, new Respond(List.of(replyLines)));
    return this;
  }

  /** Never answers {@code verb}; the client's time-out has to end the session. */
  public FakeSmartHost silentOn(Verb verb) {
    script.set(verb, new Silence());
    return this;
  }

  /** Closes the connection instead of answering {@code verb}. */
  public FakeSmartHost dropOn(Verb verb) {
    script.set(verb, new Drop());
    return this;
  }

  /**
   * Stops reading once {@code octets} of DATA content have arrived, so that the client's writes
   * block (for data block time-outs). The stalled connection stays open until the host closes.
   */
  public FakeSmartHost stallMidData(long octets) {
    script.stallMidData(octets);
    return this;
  }

  /** Closes the connection once {@code octets} of DATA content have arrived. */
  public FakeSmartHost dropMidData(long octets) {
    script.dropMidData(octets);
    return this;
  }

  /** The EHLO keywords to list instead of {@code SIZE 10485760, 8BITMIME, ENHANCEDSTATUSCODES}. */
  public FakeSmartHost advertise(String... keywords) {
    script.advertise(Arrays.asList(keywords));
    return this;
  }

  /**
   * Offers STARTTLS (RFC 3207) with this server context; off by default. The extensions listed
   * after TLS are the same, without STARTTLS.
   */
  public FakeSmartHost offerStartTls(SSLContext serverContext) {
    script.offerStartTls(serverContext);
    return this;
  }

  /** Answers STARTTLS with 220 and then closes the connection instead of doing the handshake. */
  public FakeSmartHost breakTlsHandshake() {
    script.breakHandshake(true);
    return this;
  }

  /**
   * Offers AUTH with these mechanisms (RFC 4954; PLAIN and LOGIN are understood), with or without
   * TLS, and refuses MAIL until the client authenticated as one of {@code passwords}' users.
   */
  public FakeSmartHost requireAuth(Map<String, String> passwords, String... mechanisms) {
    script.requireAuth(passwords, mechanisms.length == 0 ? List.of("PLAIN", "LOGIN") : List.of(mechanisms));
    return this;
  }

  /** Back to a well-behaved server; what was recorded stays. */
  public FakeSmartHost resetScript() {
    script.clear();
    return this;
  }

  // ---- Records and waits --------------------------------------------------------------------

  public synchronized List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /**
   * One AUTH exchange the host saw.
   *
   * @param mechanism PLAIN or LOGIN
   * @param user the authentication id given
   * @param tls the TLS protocol of the connection ({@code TLSv1.3}), or null when in the clear
   * @param accepted whether the password was right
   */
  public record AuthAttempt(String mechanism, String user, String tls, boolean accepted) {}

  /** Every AUTH exchange so far, on all connections. */
  public synchronized List<AuthAttempt> authAttempts() {
    return List.copyOf(authAttempts);
  }

  synchronized void recordAuth(AuthAttempt a) {
    authAttempts.add(a);
    notifyAll();
  }

  /** Every command line received so far, on all connections, in arrival order. */
  public synchronized List<String> commands() {
    return List.copyOf(commands);
  }

  /** How many received command lines start with {@code prefix} (ignoring case). */
  public synchronized long count(String prefix) {
    return commands.stream()
        .filter(c -> c.regionMatches(true, 0, prefix, 0, prefix.length()))
        .count();
  }

  public synchronized int connectionsAccepted() {
    return accepted;
  }

  /** When each connection was accepted (epoch milliseconds), in order. */
  public synchronized List<Long> connectionTimes() {
    return List.copyOf(acceptedAt);
  }

  public synchronized int connectionsOpen() {
    return open;
  }

  /** Waits until at least {@code n} messages were accepted; returns them all. */
  public List<ReceivedMessage> awaitMessages(int n, Duration timeout) {
    await(() -> messages.size() >= n, timeout, () -> n + " messages");
    return messages();
  }

  /** Waits until at least {@code n} command lines starting with {@code prefix} arrived. */
  public void awaitCommands(String prefix, int n, Duration timeout) {
    await(() -> count(prefix) >= n, timeout, () -> n + " commands starting with " + prefix);
  }

  /** Waits until exactly {@code n} connections are open (e.g. 0: all were closed). */
  public void awaitConnectionsOpen(int n, Duration timeout) {
    await(() -> open == n, timeout, () -> n + " open connections (now " + open + ")");
  }

  private synchronized void await(BooleanSupplier done, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "FakeSmartHost: no " + what.get() + " within " + timeout + "; commands: " + commands);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what.get(), e);
      }
    }
  }

  synchronized void recordCommand(String line) {
    commands.add(line);
    notifyAll();
  }

  synchronized void recordReadAhead(String line) {
    readAhead.add(line);
  }

  /**
   * The commands that arrived with more input already behind them (the client did not wait for
   * their reply): what a pipelining client sends before the last command of a group.
   */
  public synchronized List<String> commandsReadAhead() {
    return List.copyOf(readAhead);
  }

  synchronized void recordMessage(ReceivedMessage m) {
    messages.add(m);
    notifyAll();
  }

  /** Blocks a session until the host closes. */
  void awaitClose() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void sessionEnded() {
    open--;
    notifyAll();
  }

  // ---- Server -------------------------------------------------------------------------------

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        int number;
        synchronized (this) {
          number = ++accepted;
          acceptedAt.add(System.currentTimeMillis());
          open++;
          notifyAll();
        }
        Thread t = new Thread(new FakeSmtpSession(s, number, script, this), "fake-smtp-" + number);
        t.setDaemon(true);
        synchronized (sessions) {
          sessions.add(t);
        }
        t.start();
      } catch (SocketException e) {
        return; // closed by close()
      } catch (IOException e) {
        // One failed accept does not stop the host.
      }
    }
  }

  /** Stops accepting, closes every connection and waits for the session threads to end. */
  @Override
  public void close() throws IOException {
    closing.countDown();
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    List<Thread> all;
    synchronized (sessions) {
      all = List.copyOf(sessions);
    }
    try {
      acceptor.join(5000);
      for (Thread t : all) {
        t.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
