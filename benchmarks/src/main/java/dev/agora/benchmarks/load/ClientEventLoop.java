package dev.agora.benchmarks.load;

import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One Netty event-loop thread that owns a client's connection and also sends its calls. A call
 * started on the thread that owns the connection is written in the same turn of the loop; a call
 * started on any other thread wakes the loop up through the kernel first. An open loop at thousands
 * of calls per second pays that wake-up on every call, and on a client with one core it fell behind
 * its own schedule (decision 0023). Native epoll where Netty has it (decision 0028), NIO elsewhere.
 */
final class ClientEventLoop implements AutoCloseable {
  private final EventLoopGroup group;
  private final Class<? extends Channel> channelType;

  private ClientEventLoop(EventLoopGroup group, Class<? extends Channel> channelType) {
    this.group = group;
    this.channelType = channelType;
  }

  /** A new event-loop thread, on epoll if this platform has it. */
  static ClientEventLoop start() {
    if (Epoll.isAvailable()) {
      return new ClientEventLoop(
          new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()),
          EpollSocketChannel.class);
    }
    return new ClientEventLoop(
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), NioSocketChannel.class);
  }

  /** Binds {@code builder}'s connections to this loop. */
  NettyChannelBuilder own(NettyChannelBuilder builder) {
    return builder.eventLoopGroup(group).channelType(channelType);
  }

  /** The loop's one thread, to send calls from. */
  EventLoop loop() {
    return group.next();
  }

  /** What the loop runs on, for the results. */
  String transport() {
    return channelType == EpollSocketChannel.class ? "epoll" : "nio";
  }

  @Override
  public void close() throws InterruptedException {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }
}
