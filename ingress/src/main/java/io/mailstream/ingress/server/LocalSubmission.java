package io.mailstream.ingress.server;

import io.mailstream.core.config.HostPort;
import io.mailstream.core.config.Listener;
import io.mailstream.ingress.session.Peer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local submission channel of the {@code sendmail} command: a Unix domain socket that any
 * local user may connect to, served by the same pipeline and session as a TCP listener, so that
 * its mail is checked, written to the queue and answered {@code 250} only once stored, exactly as
 * mail over SMTP. The session's client is the user the socket's peer credentials name ({@code
 * SO_PEERCRED}: the kernel's word, not the command's), recorded as sendmail records a local
 * submission ({@code Received: (from root@localhost)}, {@code relay=root@localhost}); relay rules
 * and access entries do not apply to it. As sendmail does for local mail, the Date, From and
 * Message-ID a message lacks are added (the session's MissingFields): {@code sendmail -bs} passes
 * a program's SMTP on unchanged, and its messages must not arrive without them.
 *
 * <p>It runs on an event loop of its own, with Java's NIO: JDK 17's domain sockets give the peer's
 * user name directly, and a local submission is one short session at a time.
 */
final class LocalSubmission implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSubmission.class);

  /** The listener a local session runs as: an MTA listener (no AUTH required); its address is only shown. */
  static final Listener LISTENER = Listener.mta(new HostPort("localhost", 0, false));

  private final Path socket;
  private EventLoopGroup group;
  private Channel server;

  private LocalSubmission(Path socket) {
    this.socket = socket;
  }

  /**
   * Binds {@code socket}, replacing a file left there by a node that did not stop cleanly (the
   * caller holds the data directory's lock, so no running node owns it), and lets every local
   * user connect (mode 0666; the directories above must be searchable).
   *
   * @param connections called with each new connection, to install the SMTP pipeline
   * @throws IOException naming the socket when it cannot be bound
   */
  static LocalSubmission bind(Path socket, Consumer<Channel> connections) throws IOException {
    LocalSubmission local = new LocalSubmission(socket);
    Files.deleteIfExists(socket);
    Files.createDirectories(socket.getParent());
    local.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtp-local"), NioIoHandler.newFactory());
    ChannelFuture f =
        new ServerBootstrap()
            .group(local.group)
            .channel(NioServerDomainSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.accept(ch);
                  }
                })
            .bind(UnixDomainSocketAddress.of(socket))
            .awaitUninterruptibly();
    if (!f.isSuccess()) {
      local.close();
      throw new IOException("cannot listen on " + socket + ": " + f.cause().getMessage(), f.cause());
    }
    local.server = f.channel();
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    LOG.info("local submission (the sendmail command) on {}", socket);
    return local;
  }

  /**
   * The local user at the other end of {@code channel}, when it is a connection to this socket;
   * null for any other connection.
   */
  static Peer peerOf(Channel channel) {
    if (!(channel instanceof NioDomainSocketChannel)) {
      return null;
    }
    UnixDomainPrincipal who = channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
    return Peer.localUser(who.user().getName());
  }

  /** The socket's path. */
  Path socket() {
    return socket;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", socket, e.toString());
    }
  }
}
