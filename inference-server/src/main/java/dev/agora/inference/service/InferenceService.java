package dev.agora.inference.service;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.batching.BatchPolicies;
import dev.agora.inference.batching.InferenceJob;
import dev.agora.inference.batching.Ticker;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.ServableVersion;
import dev.agora.inference.tensor.InferRequestDecoder;
import dev.agora.proto.inference.ModelConfigRequest;
import dev.agora.proto.inference.ModelConfigResponse;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelMetadataRequest;
import dev.agora.proto.inference.ModelMetadataResponse;
import dev.agora.proto.inference.ModelReadyRequest;
import dev.agora.proto.inference.ModelReadyResponse;
import dev.agora.proto.inference.ModelStatisticsRequest;
import dev.agora.proto.inference.ModelStatisticsResponse;
import dev.agora.proto.inference.ModelStreamInferResponse;
import dev.agora.proto.inference.RepositoryIndexRequest;
import dev.agora.proto.inference.RepositoryIndexResponse;
import dev.agora.proto.inference.RepositoryModelLoadRequest;
import dev.agora.proto.inference.RepositoryModelLoadResponse;
import dev.agora.proto.inference.RepositoryModelUnloadRequest;
import dev.agora.proto.inference.RepositoryModelUnloadResponse;
import dev.agora.proto.inference.ServerLiveRequest;
import dev.agora.proto.inference.ServerLiveResponse;
import dev.agora.proto.inference.ServerMetadataRequest;
import dev.agora.proto.inference.ServerMetadataResponse;
import dev.agora.proto.inference.ServerReadyRequest;
import dev.agora.proto.inference.ServerReadyResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Triton's {@code inference.GRPCInferenceService}: health, metadata, configuration, inference
 * (unary and streaming), statistics and the model-repository extension. Every call that may block
 * (the catalog, model loading, decoding) runs on the server's bounded request executor, never on
 * the transport thread; models run on the execution pool behind each version's scheduler. The
 * caller's gRPC deadline (and the request's {@code timeout} parameter) travels with each request,
 * so a request whose deadline passes while it is queued is dropped without running. Answers from a
 * deprecated version carry its notice in the response headers ({@link DeprecationHeaders}), or in
 * each streamed answer's parameters ({@link StreamInferSession}). Shared memory, tracing and log
 * settings are answered {@code UNIMPLEMENTED}.
 */
public final class InferenceService extends UnimplementedExtensions {
  /** What {@code ServerMetadata} reports as {@code name}. */
  public static final String SERVER_NAME = "agora";

  /**
   * The extensions Agora really implements over gRPC. {@code statistics} is deliberately absent
   * although {@code ModelStatistics} answers: perf_analyzer, seeing it, looks its statistics up
   * under {@code std::to_string(std::stoll(version))}, which turns Agora's semantic version {@code
   * 1.0.0} into {@code 1} and fails the measurement (docs/decisions/0018).
   */
  public static final List<String> EXTENSIONS = List.of("model_repository", "model_configuration");

  private final ModelCatalog catalog;
  private final ModelRepository repository;
  private final BooleanSupplier ready;
  private final String serverVersion;
  private final Handoff handoff;
  private final InferencePipeline pipeline;
  private final ModelDescriptions descriptions;
  private final RepositoryRpcs repositoryRpcs;

  /**
   * A service over {@code repository}.
   *
   * @param ready whether the server has finished starting
   * @param executor the bounded request executor that runs blocking work and encodes responses
   * @param decoder validates and decodes inference requests
   * @param batching the policy of batching models, as {@code ModelConfig} reports it; empty when
   *     dynamic batching is off
   * @param maxPendingRequests inference requests admitted and not yet answered before new ones are
   *     refused with {@code RESOURCE_EXHAUSTED}
   */
  public InferenceService(
      ModelCatalog catalog,
      ModelRepository repository,
      BooleanSupplier ready,
      String serverVersion,
      Executor executor,
      InferRequestDecoder decoder,
      BatchPolicies batching,
      int maxPendingRequests) {
    this.catalog = catalog;
    this.repository = repository;
    this.ready = ready;
    this.serverVersion = serverVersion;
    this.handoff = new Handoff(executor);
    this.pipeline =
        new InferencePipeline(
            repository,
            decoder,
            Ticker.system(),
            InstantSource.system(),
            executor,
            maxPendingRequests);
    this.descriptions = new ModelDescriptions(batching);
    this.repositoryRpcs = new RepositoryRpcs(catalog, repository);
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
    observer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
    observer.onCompleted();
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
    observer.onNext(ServerReadyResponse.newBuilder().setReady(ready.getAsBoolean()).build());
    observer.onCompleted();
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
    observer.onNext(
        ServerMetadataResponse.newBuilder()
            .setName(SERVER_NAME)
            .setVersion(serverVersion)
            .addAllExtensions(EXTENSIONS)
            .build());
    observer.onCompleted();
  }

  /** Ready once the version is loaded; loads it if needed. Unknown models are simply not ready. */
  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
    handoff.submit(
        observer,
        () -> {
          CompletableFuture<ServableVersion> load;
          try {
            load = repository.load(repository.resolve(request.getName(), request.getVersion()));
          } catch (AgoraException unknownOrStopping) {
            answerReady(observer, false);
            return;
          }
          load.whenComplete((loaded, failure) -> answerReady(observer, failure == null));
        });
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
    handoff.unary(
        observer,
        () ->
            descriptions.metadata(
                repository.resolve(request.getName(), request.getVersion()),
                catalog.listPublishedVersions(request.getName())));
  }

  @Override
  public void modelConfig(
      ModelConfigRequest request, StreamObserver<ModelConfigResponse> observer) {
    handoff.unary(
        observer,
        () ->
            ModelConfigResponse.newBuilder()
                .setConfig(
                    descriptions.config(
                        repository.resolve(request.getName(), request.getVersion())))
                .build());
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    long arrived = pipeline.now();
    Context context = Context.current();
    long deadline = deadline(context, arrived);
    // Runs on the gRPC application thread that delivered the request (servers here never use a
    // direct executor, so this is not a transport thread): one thread hop less per request than
    // handing off to the request executor. Admission stays bounded by the pipeline's pending
    // count; the model runs here when an execution slot is free, else on the execution pool.
    handoff.inline(
        observer,
        () -> pipeline.infer(request, arrived, deadline, context::isCancelled),
        Function.identity());
  }

  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(
      StreamObserver<ModelStreamInferResponse> observer) {
    return new StreamInferSession(
        observer, pipeline, handoff, Context.current(), repository::deprecation);
  }

  /** The deadline of the call in {@code context} on the pipeline's clock, read at {@code now}. */
  static long deadline(Context context, long now) {
    Deadline deadline = context.getDeadline();
    return deadline == null
        ? InferenceJob.NO_DEADLINE
        : InferencePipeline.deadlineAfter(now, deadline.timeRemaining(TimeUnit.NANOSECONDS));
  }

  @Override
  public void modelStatistics(
      ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> observer) {
    handoff.unary(
        observer, () -> repositoryRpcs.statistics(request.getName(), request.getVersion()));
  }

  @Override
  public void repositoryIndex(
      RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> observer) {
    handoff.unary(observer, () -> repositoryRpcs.index(request.getReady()));
  }

  @Override
  public void repositoryModelLoad(
      RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> observer) {
    handoff.async(
        observer,
        () -> repositoryRpcs.load(request),
        loaded -> RepositoryModelLoadResponse.getDefaultInstance());
  }

  @Override
  public void repositoryModelUnload(
      RepositoryModelUnloadRequest request,
      StreamObserver<RepositoryModelUnloadResponse> observer) {
    handoff.unary(observer, () -> repositoryRpcs.unload(request));
  }

  private static void answerReady(StreamObserver<ModelReadyResponse> observer, boolean ready) {
    observer.onNext(ModelReadyResponse.newBuilder().setReady(ready).build());
    observer.onCompleted();
  }
}
