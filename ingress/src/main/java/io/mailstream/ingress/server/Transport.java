package io.mailstream.ingress.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The I/O transport: native epoll where it loads, Java NIO everywhere else. Setting the system
 * property {@code mailstream.transport=nio} forces NIO.
 */
record Transport(IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

  static Transport auto() {
    boolean nio = "nio".equalsIgnoreCase(System.getProperty("mailstream.transport"));
    if (!nio && Epoll.isAvailable()) {
      return new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
    return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
