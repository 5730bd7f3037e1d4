package dev.agora.app.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Writes one HTTP response for a request; safe to call from any thread. */
final class RestResponder {
  private final ChannelHandlerContext ctx;
  private final boolean keepAlive;
  private final RestJson json;

  RestResponder(ChannelHandlerContext ctx, boolean keepAlive, RestJson json) {
    this.ctx = ctx;
    this.keepAlive = keepAlive;
    this.json = json;
  }

  void json(int status, byte[] body) {
    send(status, Unpooled.wrappedBuffer(body), HttpHeaderValues.APPLICATION_JSON.toString(), -1);
  }

  void error(int status, String message) {
    json(status, json.error(message));
  }

  /**
   * An inference answer: plain JSON, or JSON followed by the binary section, with the answering
   * version's deprecation notice in the headers when it has one.
   */
  void inference(RestJson.Body body, DeprecationNotice notice) {
    if (body.binary().isEmpty()) {
      send(
          200,
          Unpooled.wrappedBuffer(body.json()),
          HttpHeaderValues.APPLICATION_JSON.toString(),
          -1,
          notice);
      return;
    }
    ByteBuf content =
        Unpooled.wrappedBuffer(
            Unpooled.wrappedBuffer(body.json()),
            Unpooled.wrappedBuffer(body.binary().asReadOnlyByteBuffer()));
    send(
        200,
        content,
        HttpHeaderValues.APPLICATION_OCTET_STREAM.toString(),
        body.json().length,
        notice);
  }

  private void send(int status, ByteBuf content, String contentType, int headerLength) {
    send(status, content, contentType, headerLength, DeprecationNotice.NONE);
  }

  private void send(
      int status, ByteBuf content, String contentType, int headerLength, DeprecationNotice notice) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
    notice.writeTo(response.headers());
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    if (headerLength >= 0) {
      response.headers().setInt(RestGatewayHandler.HEADER_LENGTH, headerLength);
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    var write = ctx.writeAndFlush(response);
    if (!keepAlive) {
      write.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
