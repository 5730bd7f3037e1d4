package dev.agora.app.http;

import com.fasterxml.jackson.core.JsonFactory;
import io.grpc.Channel;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The HTTP port of {@code agora serve}: the KServe v2 REST API (health, metadata, config, ready,
 * infer with Triton's binary tensor extension, repository and statistics endpoints), answered by
 * calling the gRPC inference service over {@code inference}, a channel the caller provides.
 */
public final class HttpGateway implements AutoCloseable {
  private final EventLoopGroup group;
  private final io.netty.channel.Channel listener;

  private HttpGateway(EventLoopGroup group, io.netty.channel.Channel listener) {
    this.group = group;
    this.listener = listener;
  }

  /**
   * Binds {@code host:port} (0 picks a free port) and starts answering.
   *
   * @param maxBodyBytes the largest request body accepted; larger ones get 413
   * @param inference a channel to the gRPC inference service
   * @param ready whether the server is ready, for {@code /v2/health/ready}
   */
  public static HttpGateway start(
      String host, int port, int maxBodyBytes, Channel inference, BooleanSupplier ready) {
    JsonFactory json = JsonFactory.builder().build();
    RestGatewayHandler handler =
        new RestGatewayHandler(
            new RestCalls(inference, maxBodyBytes),
            new RestJson(json),
            new InferJsonReader(json),
            ready);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      io.netty.channel.Channel listener =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(maxBodyBytes))
                          .addLast(handler);
                    }
                  })
              .bind(new InetSocketAddress(host, port))
              .syncUninterruptibly()
              .channel();
      return new HttpGateway(group, listener);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
