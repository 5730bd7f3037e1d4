package dev.agora.app.http;

import dev.agora.app.metrics.MetricsExposition;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Sits in front of the REST handler on each connection: answers {@code GET /metrics} itself
 * (unauthenticated, like the health endpoints), refuses requests with 503 once the gateway drains,
 * and counts the requests it passes on until their response is written, so that a stop can wait for
 * them. One instance per connection.
 */
final class OperationsHandler extends ChannelDuplexHandler {
  static final String METRICS_PATH = "/metrics";

  private final InFlightRequests inFlight;
  private final MetricsExposition metrics;
  private final RestJson json;
  private int unanswered;

  OperationsHandler(InFlightRequests inFlight, MetricsExposition metrics, RestJson json) {
    this.inFlight = inFlight;
    this.metrics = metrics;
    this.json = json;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(message);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (isMetrics(request)) {
      request.release();
      sendMetrics(ctx, keepAlive);
    } else if (!inFlight.begin()) {
      request.release();
      new RestResponder(ctx, false, json).error(503, "The server is shutting down.");
    } else {
      unanswered++;
      ctx.fireChannelRead(request);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    if (message instanceof HttpResponse && unanswered > 0) {
      unanswered--;
      inFlight.end(1);
    }
    ctx.write(message, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (unanswered > 0) {
      inFlight.end(unanswered);
      unanswered = 0;
    }
    ctx.fireChannelInactive();
  }

  private static boolean isMetrics(FullHttpRequest request) {
    boolean read =
        HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
    return read && request.uri().split("\\?", 2)[0].equals(METRICS_PATH);
  }

  private void sendMetrics(ChannelHandlerContext ctx, boolean keepAlive) {
    byte[] body = metrics.scrape();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    HttpUtil.setKeepAlive(response, keepAlive);
    var write = ctx.writeAndFlush(response);
    if (!keepAlive) {
      write.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
