package dev.agora.inference.service;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.ServableVersion;
import dev.agora.inference.tensor.InferRequestDecoder;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.CudaSharedMemoryRegisterRequest;
import dev.agora.proto.inference.CudaSharedMemoryRegisterResponse;
import dev.agora.proto.inference.CudaSharedMemoryStatusRequest;
import dev.agora.proto.inference.CudaSharedMemoryStatusResponse;
import dev.agora.proto.inference.CudaSharedMemoryUnregisterRequest;
import dev.agora.proto.inference.CudaSharedMemoryUnregisterResponse;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.LogSettingsRequest;
import dev.agora.proto.inference.LogSettingsResponse;
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
import dev.agora.proto.inference.SystemSharedMemoryRegisterRequest;
import dev.agora.proto.inference.SystemSharedMemoryRegisterResponse;
import dev.agora.proto.inference.SystemSharedMemoryStatusRequest;
import dev.agora.proto.inference.SystemSharedMemoryStatusResponse;
import dev.agora.proto.inference.SystemSharedMemoryUnregisterRequest;
import dev.agora.proto.inference.SystemSharedMemoryUnregisterResponse;
import dev.agora.proto.inference.TraceSettingRequest;
import dev.agora.proto.inference.TraceSettingResponse;
import io.grpc.stub.StreamObserver;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Triton's {@code inference.GRPCInferenceService}: health, metadata, configuration, inference
 * (unary and streaming), statistics and the model-repository extension. Every call that may block
 * (the catalog, model loading, inference) runs on the server's bounded executor, never on the
 * transport thread. Shared memory, tracing and log settings are answered {@code UNIMPLEMENTED}.
 */
public final class InferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  /** What {@code ServerMetadata} reports as {@code name}. */
  public static final String SERVER_NAME = "agora";

  /**
   * The extensions Agora really implements over gRPC. {@code statistics} is deliberately absent:
   * perf_analyzer then parses versions as integers, and Agora's versions are semantic versions.
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
   * @param executor the bounded executor that runs blocking work
   * @param maxBatchSize the {@code max_batch_size} advertised for batching models
   * @param maxTensorBytes the largest input tensor accepted
   */
  public InferenceService(
      ModelCatalog catalog,
      ModelRepository repository,
      BooleanSupplier ready,
      String serverVersion,
      Executor executor,
      int maxBatchSize,
      long maxTensorBytes) {
    this.catalog = catalog;
    this.repository = repository;
    this.ready = ready;
    this.serverVersion = serverVersion;
    this.handoff = new Handoff(executor);
    this.pipeline =
        new InferencePipeline(
            repository,
            new InferRequestDecoder(maxTensorBytes),
            System::nanoTime,
            InstantSource.system());
    this.descriptions = new ModelDescriptions(maxBatchSize);
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
    handoff.unary(observer, () -> pipeline.infer(request, arrived));
  }

  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(
      StreamObserver<ModelStreamInferResponse> observer) {
    return new StreamInferSession(observer, pipeline, handoff);
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

  @Override
  public void systemSharedMemoryStatus(
      SystemSharedMemoryStatusRequest request,
      StreamObserver<SystemSharedMemoryStatusResponse> observer) {
    unsupported(observer, SYSTEM_SHM);
  }

  @Override
  public void systemSharedMemoryRegister(
      SystemSharedMemoryRegisterRequest request,
      StreamObserver<SystemSharedMemoryRegisterResponse> observer) {
    unsupported(observer, SYSTEM_SHM);
  }

  @Override
  public void systemSharedMemoryUnregister(
      SystemSharedMemoryUnregisterRequest request,
      StreamObserver<SystemSharedMemoryUnregisterResponse> observer) {
    unsupported(observer, SYSTEM_SHM);
  }

  @Override
  public void cudaSharedMemoryStatus(
      CudaSharedMemoryStatusRequest request,
      StreamObserver<CudaSharedMemoryStatusResponse> observer) {
    unsupported(observer, CUDA_SHM);
  }

  @Override
  public void cudaSharedMemoryRegister(
      CudaSharedMemoryRegisterRequest request,
      StreamObserver<CudaSharedMemoryRegisterResponse> observer) {
    unsupported(observer, CUDA_SHM);
  }

  @Override
  public void cudaSharedMemoryUnregister(
      CudaSharedMemoryUnregisterRequest request,
      StreamObserver<CudaSharedMemoryUnregisterResponse> observer) {
    unsupported(observer, CUDA_SHM);
  }

  @Override
  public void traceSetting(
      TraceSettingRequest request, StreamObserver<TraceSettingResponse> observer) {
    unsupported(observer, "Agora does not support Triton trace settings.");
  }

  @Override
  public void logSettings(
      LogSettingsRequest request, StreamObserver<LogSettingsResponse> observer) {
    unsupported(observer, "Agora does not support changing log settings over gRPC.");
  }

  private static final String SYSTEM_SHM =
      "Agora does not support system shared memory; send tensors in raw_input_contents.";
  private static final String CUDA_SHM =
      "Agora does not support CUDA shared memory; send tensors in raw_input_contents.";

  private static void answerReady(StreamObserver<ModelReadyResponse> observer, boolean ready) {
    observer.onNext(ModelReadyResponse.newBuilder().setReady(ready).build());
    observer.onCompleted();
  }

  private static void unsupported(StreamObserver<?> observer, String message) {
    observer.onError(
        ErrorStatus.toStatusException(AgoraException.of(ErrorReason.NOT_IMPLEMENTED, message)));
  }
}
