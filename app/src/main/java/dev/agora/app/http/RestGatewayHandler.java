package dev.agora.app.http;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Answers the KServe v2 REST API (with Triton's binary tensor extension) by translating each
 * request into a call on the gRPC inference service and the answer back into JSON. The call is
 * asynchronous: the event loop never waits for inference.
 */
@ChannelHandler.Sharable
final class RestGatewayHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private final RestCalls calls;
  private final RestJson json;
  private final InferJsonReader reader;
  private final BooleanSupplier ready;

  RestGatewayHandler(
      RestCalls calls, RestJson json, InferJsonReader reader, BooleanSupplier ready) {
    this.calls = calls;
    this.json = json;
    this.reader = reader;
    this.ready = ready;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    RestResponder responder = new RestResponder(ctx, HttpUtil.isKeepAlive(request), json);
    String path = request.uri().split("\\?", 2)[0];
    Optional<RestRoute> route = RestRoute.parse(request.method(), path);
    if (route.isEmpty()) {
      responder.error(404, "no such endpoint: " + request.method() + " " + path);
      return;
    }
    try {
      dispatch(route.get(), request, responder);
    } catch (RestException e) {
      responder.error(e.status(), e.getMessage());
    }
  }

  private void dispatch(RestRoute route, FullHttpRequest request, RestResponder responder) {
    RestCalls.Bound call = calls.bind(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    switch (route.endpoint()) {
      case LIVE -> responder.json(200, json.write(out -> liveBody(out, true)));
      case READY -> {
        boolean isReady = ready.getAsBoolean();
        responder.json(isReady ? 200 : 503, json.write(out -> readyBody(out, isReady)));
      }
      case SERVER_METADATA -> answer(call.serverMetadata(), json::serverMetadata, responder);
      case MODEL_METADATA ->
          answer(
              call.modelMetadata(route.model(), route.version()), json::modelMetadata, responder);
      case MODEL_CONFIG ->
          answer(
              call.modelConfig(route.model(), route.version()),
              r -> json.modelConfig(r.getConfig()),
              responder);
      case MODEL_READY -> modelReady(call, route, responder);
      case MODEL_STATS ->
          answer(call.statistics(route.model(), route.version()), calls::statisticsJson, responder);
      case INFER -> infer(call, route, request, responder);
      case REPOSITORY_INDEX -> answer(call.repositoryIndex(), json::repositoryIndex, responder);
      case REPOSITORY_LOAD -> answer(call.load(route.model()), r -> new byte[0], responder);
      case REPOSITORY_UNLOAD -> answer(call.unload(route.model()), r -> new byte[0], responder);
    }
  }

  private void modelReady(RestCalls.Bound call, RestRoute route, RestResponder responder) {
    callback(
        call.modelReady(route.model(), route.version()),
        r ->
            responder.json(
                r.getReady() ? 200 : 400,
                json.write(
                    out -> {
                      out.writeStartObject();
                      out.writeStringField("name", route.model());
                      out.writeBooleanField("ready", r.getReady());
                      out.writeEndObject();
                    })),
        responder);
  }

  private void infer(
      RestCalls.Bound call, RestRoute route, FullHttpRequest request, RestResponder responder) {
    ByteBuf content = request.content();
    byte[] body = ByteBufUtil.getBytes(content);
    int headerLength = headerLength(request, body.length);
    if (headerLength == 0) {
      throw new RestException(
          400,
          HEADER_LENGTH
              + ": 0 (a body of raw tensor bytes without a JSON header) is not supported;"
              + " send the JSON header first");
    }
    byte[] header = java.util.Arrays.copyOf(body, headerLength);
    ByteString binary = ByteString.copyFrom(body, headerLength, body.length - headerLength);
    RestInferRequest translated = reader.read(route.model(), route.version(), header, binary);
    AtomicReference<Metadata> headers = new AtomicReference<>();
    callback(
        call.infer(translated.grpc(), headers),
        response ->
            responder.inference(
                json.inferResponse(response, translated), DeprecationNotice.from(headers.get())),
        responder);
  }

  private static int headerLength(FullHttpRequest request, int bodyLength) {
    String declared = request.headers().get(HEADER_LENGTH);
    if (declared == null) {
      return bodyLength;
    }
    try {
      int length = Integer.parseInt(declared.trim());
      if (length < 0 || length > bodyLength) {
        throw new NumberFormatException();
      }
      return length;
    } catch (NumberFormatException e) {
      throw new RestException(
          400, HEADER_LENGTH + " must be between 0 and the body length " + bodyLength);
    }
  }

  private <T> void answer(
      ListenableFuture<T> future, Function<T, byte[]> toJson, RestResponder responder) {
    callback(future, r -> responder.json(200, toJson.apply(r)), responder);
  }

  private static <T> void callback(
      ListenableFuture<T> future, java.util.function.Consumer<T> onSuccess, RestResponder out) {
    Futures.addCallback(
        future,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T result) {
            onSuccess.accept(result);
          }

          @Override
          public void onFailure(Throwable failure) {
            Status status = Status.fromThrowable(failure);
            out.error(GrpcToHttpStatus.of(status.getCode()), status.getDescription());
          }
        },
        MoreExecutors.directExecutor());
  }

  private static void liveBody(com.fasterxml.jackson.core.JsonGenerator out, boolean live)
      throws java.io.IOException {
    out.writeStartObject();
    out.writeBooleanField("live", live);
    out.writeEndObject();
  }

  private static void readyBody(com.fasterxml.jackson.core.JsonGenerator out, boolean ready)
      throws java.io.IOException {
    out.writeStartObject();
    out.writeBooleanField("ready", ready);
    out.writeEndObject();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
