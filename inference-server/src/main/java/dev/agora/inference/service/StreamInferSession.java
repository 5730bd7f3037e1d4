package dev.agora.inference.service;

import dev.agora.common.error.ErrorStatus;
import dev.agora.inference.catalog.Deprecation;
import dev.agora.proto.inference.InferParameter;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelStreamInferResponse;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;

/**
 * One {@code ModelStreamInfer} call. Up to {@link #WINDOW} requests run concurrently on the
 * server's executor, but answers leave in request order, one {@code ModelStreamInferResponse} per
 * request; a failed request is answered with {@code error_message} and the stream continues.
 * Inbound flow control keeps at most {@link #WINDOW} requests in memory per stream.
 *
 * <p>A stream sends its headers once, before it knows which versions will answer, so an answer from
 * a deprecated version carries the notice as response parameters named like the unary call's
 * headers ({@link DeprecationHeaders}): {@value DeprecationHeaders#WARNING_HEADER}, {@value
 * DeprecationHeaders#SUNSET_HEADER} and {@value DeprecationHeaders#SUCCESSOR_HEADER}.
 */
final class StreamInferSession implements StreamObserver<ModelInferRequest> {
  /** Requests a stream may have in flight. */
  static final int WINDOW = 16;

  private final ServerCallStreamObserver<ModelStreamInferResponse> responses;
  private final InferencePipeline pipeline;
  private final Handoff handoff;
  private final Context context;
  private final BiFunction<String, String, Deprecation> deprecations;
  private volatile boolean cancelled;
  // Touched only from gRPC's serialized inbound callbacks.
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

  StreamInferSession(
      StreamObserver<ModelStreamInferResponse> observer,
      InferencePipeline pipeline,
      Handoff handoff,
      Context context,
      BiFunction<String, String, Deprecation> deprecations) {
    this.responses = (ServerCallStreamObserver<ModelStreamInferResponse>) observer;
    this.pipeline = pipeline;
    this.handoff = handoff;
    this.context = context;
    this.deprecations = deprecations;
    responses.setOnCancelHandler(() -> cancelled = true);
    responses.disableAutoRequest();
    responses.request(WINDOW);
  }

  @Override
  public void onNext(ModelInferRequest request) {
    long arrived = pipeline.now();
    long deadline = InferenceService.deadline(context, arrived);
    CompletableFuture<ModelStreamInferResponse> answer = new CompletableFuture<>();
    try {
      handoff.execute(() -> answer(request, arrived, deadline, answer));
    } catch (RejectedExecutionException full) {
      answer.complete(failed(request, Handoff.busy()));
    }
    tail = tail.thenCombine(answer, (previous, response) -> response).thenAccept(this::emit);
  }

  @Override
  public void onError(Throwable clientFailure) {
    cancelled = true;
  }

  @Override
  public void onCompleted() {
    tail.thenRun(
        () -> {
          if (!cancelled) {
            responses.onCompleted();
          }
        });
  }

  private void answer(
      ModelInferRequest request,
      long arrived,
      long deadline,
      CompletableFuture<ModelStreamInferResponse> answer) {
    try {
      pipeline
          .infer(request, arrived, deadline, () -> cancelled)
          .whenComplete(
              (response, failure) ->
                  answer.complete(
                      failure == null
                          ? ModelStreamInferResponse.newBuilder()
                              .setInferResponse(withNotice(response))
                              .build()
                          : failed(request, Handoff.unwrap(failure))));
    } catch (RuntimeException failure) {
      answer.complete(failed(request, failure));
    }
  }

  /** {@code response} with the deprecation notice of the version that answered, if it has one. */
  private ModelInferResponse withNotice(ModelInferResponse response) {
    Deprecation deprecation =
        deprecations.apply(response.getModelName(), response.getModelVersion());
    if (deprecation == null) {
      return response;
    }
    ModelInferResponse.Builder noticed =
        response.toBuilder()
            .putParameters(DeprecationHeaders.WARNING_HEADER, text(deprecation.warning()));
    deprecation
        .sunsetTime()
        .ifPresent(
            sunset ->
                noticed.putParameters(DeprecationHeaders.SUNSET_HEADER, text(sunset.toString())));
    if (!deprecation.successorVersion().isEmpty()) {
      noticed.putParameters(
          DeprecationHeaders.SUCCESSOR_HEADER, text(deprecation.successorVersion()));
    }
    return noticed.build();
  }

  private static InferParameter text(String value) {
    return InferParameter.newBuilder().setStringParam(value).build();
  }

  private void emit(ModelStreamInferResponse response) {
    if (!cancelled) {
      responses.onNext(response);
      responses.request(1);
    }
  }

  private static ModelStreamInferResponse failed(ModelInferRequest request, Throwable e) {
    StatusRuntimeException status = ErrorStatus.toStatusException(e);
    String description = status.getStatus().getDescription();
    return ModelStreamInferResponse.newBuilder()
        .setErrorMessage(description == null ? status.getStatus().getCode().name() : description)
        .setInferResponse(
            ModelInferResponse.newBuilder()
                .setId(request.getId())
                .setModelName(request.getModelName())
                .setModelVersion(request.getModelVersion()))
        .build();
  }
}
