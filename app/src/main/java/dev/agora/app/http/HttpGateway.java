package dev.agora.app.http;

import com.fasterxml.jackson.core.JsonFactory;
import dev.agora.app.metrics.MetricsExposition;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The HTTP port of {@code agora serve}: the KServe v2 REST API (health, metadata, config, ready,
 * infer with Triton's binary tensor extension, repository and statistics endpoints), answered by
 * calling the gRPC inference service over {@code inference}, a channel the caller provides, and
 * Prometheus metrics on {@code GET /metrics}.
 *
 * <p>A graceful stop is {@link #stopAccepting()} (close the listener, answer new requests on open
 * connections with 503), {@link #awaitIdle} (let the requests in flight be answered), then {@link
 * #close()}.
 */
public final class HttpGateway implements AutoCloseable {
  private final EventLoopGroup group;
  private final io.netty.channel.Channel listener;
  private final InFlightRequests inFlight;

  private HttpGateway(
      EventLoopGroup group, io.netty.channel.Channel listener, InFlightRequests inFlight) {
    this.group = group;
    this.listener = listener;
    this.inFlight = inFlight;
  }

  /**
   * Binds {@code host:port} (0 picks a free port) and starts answering.
   *
   * @param maxBodyBytes the largest request body accepted; larger ones get 413
   * @param inference a channel to the gRPC inference service
   * @param ready whether the server is ready, for {@code /v2/health/ready}
   * @param metrics what {@code GET /metrics} answers
   */
  public static HttpGateway start(
      String host,
      int port,
      int maxBodyBytes,
      Channel inference,
      BooleanSupplier ready,
      MetricsExposition metrics) {
    JsonFactory json = JsonFactory.builder().build();
    RestJson restJson = new RestJson(json);
    RestGatewayHandler handler =
        new RestGatewayHandler(
            new RestCalls(inference, maxBodyBytes), restJson, new InferJsonReader(json), ready);
    InFlightRequests inFlight = new InFlightRequests();
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
                          .addLast(new OperationsHandler(inFlight, metrics, restJson))
                          .addLast(handler);
                    }
                  })
              .bind(new InetSocketAddress(host, port))
              .syncUninterruptibly()
              .channel();
      return new HttpGateway(group, listener, inFlight);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** HTTP requests read and not yet answered. */
  public int inFlightRequests() {
    return inFlight.count();
  }

  /**
   * Starts draining: the listener closes, so new connections are refused, and new requests on open
   * connections are answered 503 with {@code Connection: close}; requests in flight go on.
   */
  public void stopAccepting() {
    inFlight.drain();
    listener.close().syncUninterruptibly();
  }

  /**
   * Waits until every request in flight has its answer, at most {@code timeout}.
   *
   * @return whether none is left
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return inFlight.awaitIdle(timeout);
  }

  /** Stops accepting, then closes every connection, whether or not its request was answered. */
  @Override
  public void close() {
    stopAccepting();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
