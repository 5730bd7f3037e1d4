package dev.agora.inference.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.AliasServiceGrpc;
import dev.agora.proto.registry.v1.AliasServiceGrpc.AliasServiceBlockingStub;
import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.proto.registry.v1.GetAliasRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.GetVersionRequest;
import dev.agora.proto.registry.v1.ListModelsRequest;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.ListVersionsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.TensorSpec;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link ModelCatalog} backed by the registry's gRPC API ({@code agora.registry.v1
 * .RegistryService}) over a channel it is given: an in-process channel in all-in-one mode, a
 * network channel otherwise. Published and deprecated versions are servable; retired versions are
 * refused with {@code LIFECYCLE_VIOLATION} (naming the successor when the deprecation named one);
 * drafts, versions in review and rejected versions are reported as not found.
 */
public final class RegistryModelCatalog implements ModelCatalog {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);
  private static final int PAGE_SIZE = 500;

  private final RegistryServiceBlockingStub stub;
  private final AliasServiceBlockingStub aliases;

  /** A catalog that calls the registry over {@code registryChannel}. */
  public RegistryModelCatalog(Channel registryChannel) {
    this.stub = RegistryServiceGrpc.newBlockingStub(registryChannel);
    this.aliases = AliasServiceGrpc.newBlockingStub(registryChannel);
  }

  @Override
  public String resolveAlias(String model, String alias) {
    GetAliasRequest request = GetAliasRequest.newBuilder().setModel(model).setAlias(alias).build();
    return call(() ->
            aliases
                .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .getAlias(request))
        .getVersion();
  }

  @Override
  public PublishedVersion resolve(String model, String version) {
    String wanted = version;
    if (wanted.isEmpty()) {
      Model found =
          call(() -> unary().getModel(GetModelRequest.newBuilder().setName(model).build()));
      wanted = found.getLatestPublishedVersion();
      if (wanted.isEmpty()) {
        throw AgoraException.of(
            ErrorReason.MODEL_NOT_FOUND, "Model '" + model + "' has no published version yet.");
      }
    }
    String target = wanted;
    ModelVersion found =
        call(
            () ->
                unary()
                    .getVersion(
                        GetVersionRequest.newBuilder().setModel(model).setVersion(target).build()));
    if (found.getStage() == Stage.STAGE_RETIRED) {
      throw retired(found);
    }
    if (!servable(found.getStage())) {
      throw AgoraException.of(
          ErrorReason.VERSION_NOT_FOUND,
          "Version '"
              + target
              + "' of model '"
              + model
              + "' is not published (its stage is "
              + found.getStage().name().replace("STAGE_", "")
              + ").");
    }
    return toPublished(found);
  }

  @Override
  public List<CatalogModel> listModels() {
    List<CatalogModel> models = new ArrayList<>();
    String token = "";
    do {
      ListModelsRequest request =
          ListModelsRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(token).build();
      ListModelsResponse page = call(() -> unary().listModels(request));
      page.getModelsList()
          .forEach(m -> models.add(new CatalogModel(m.getName(), m.getLatestPublishedVersion())));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return models;
  }

  @Override
  public List<String> listPublishedVersions(String model) {
    List<String> versions = new ArrayList<>();
    String token = "";
    do {
      ListVersionsRequest request =
          ListVersionsRequest.newBuilder()
              .setModel(model)
              .setPageSize(PAGE_SIZE)
              .setPageToken(token)
              .build();
      ListVersionsResponse page = call(() -> unary().listVersions(request));
      page.getVersionsList().stream()
          .filter(v -> servable(v.getStage()))
          .forEach(v -> versions.add(v.getVersion()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return versions;
  }

  @Override
  public void fetchArtifact(String model, String version, Path target) {
    DownloadArtifactRequest request =
        DownloadArtifactRequest.newBuilder().setModel(model).setVersion(version).build();
    Context.CancellableContext download = Context.current().withCancellation();
    try (OutputStream out = Files.newOutputStream(target)) {
      download.call(
          () -> {
            Iterator<ArtifactChunk> chunks =
                stub.withDeadlineAfter(DOWNLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .downloadArtifact(request);
            while (chunks.hasNext()) {
              chunks.next().getData().writeTo(out);
            }
            return null;
          });
    } catch (StatusRuntimeException failure) {
      throw RegistryErrors.toAgora(failure);
    } catch (AgoraException failure) {
      throw failure;
    } catch (Exception failure) {
      throw cacheWriteFailure(model, version, failure);
    } finally {
      download.cancel(null);
    }
  }

  private static AgoraException cacheWriteFailure(String model, String version, Exception cause) {
    return AgoraException.builder(
            ErrorReason.INTERNAL_ERROR,
            "The inference server could not store the artifact of model '"
                + model
                + "' version '"
                + version
                + "'.")
        .cause(cause)
        .build();
  }

  private RegistryServiceBlockingStub unary() {
    return stub.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs a blocking registry call as a {@link ForkJoinPool#managedBlock managed block}: on the
   * server's work-stealing call pool (decision 0030) the pool starts a spare worker for the
   * duration, so calls for models already loaded keep being served while a version is resolved,
   * even with one worker per processor on a one-processor server. Elsewhere it simply blocks.
   */
  private static <T> T call(Supplier<T> rpc) {
    BlockingRegistryCall<T> call = new BlockingRegistryCall<>(rpc);
    try {
      ForkJoinPool.managedBlock(call);
      return call.result;
    } catch (StatusRuntimeException failure) {
      throw RegistryErrors.toAgora(failure);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw AgoraException.builder(
              ErrorReason.STORE_UNAVAILABLE,
              "The inference server was interrupted while it called the registry; retry.")
          .cause(interrupted)
          .build();
    }
  }

  private static final class BlockingRegistryCall<T> implements ForkJoinPool.ManagedBlocker {
    private final Supplier<T> rpc;
    private T result;
    private boolean done;

    BlockingRegistryCall(Supplier<T> rpc) {
      this.rpc = rpc;
    }

    @Override
    public boolean block() {
      result = rpc.get();
      done = true;
      return true;
    }

    @Override
    public boolean isReleasable() {
      return done;
    }
  }

  private static AgoraException retired(ModelVersion version) {
    return new Retirement(version.getModel(), version.getVersion(), version.getSuccessorVersion())
        .refusal();
  }

  private static boolean servable(Stage stage) {
    return stage == Stage.STAGE_PUBLISHED || stage == Stage.STAGE_DEPRECATED;
  }

  private static PublishedVersion toPublished(ModelVersion version) {
    ModelSignature signature =
        new ModelSignature(
            tensors(version, version.getSignature().getInputsList()),
            tensors(version, version.getSignature().getOutputsList()));
    return new PublishedVersion(
        version.getModel(),
        version.getVersion(),
        version.getArtifact().getSha256(),
        version.getArtifact().getSizeBytes(),
        signature,
        version.getStage() == Stage.STAGE_DEPRECATED ? deprecation(version) : null);
  }

  /** The deprecation notice of a version in the DEPRECATED stage. */
  static Deprecation deprecation(ModelVersion version) {
    return new Deprecation(
        version.getModel(),
        version.getVersion(),
        version.hasSunsetTime()
            ? Instant.ofEpochSecond(
                version.getSunsetTime().getSeconds(), version.getSunsetTime().getNanos())
            : null,
        version.getSuccessorVersion());
  }

  private static List<TensorSignature> tensors(ModelVersion version, List<TensorSpec> specs) {
    List<TensorSignature> tensors = new ArrayList<>(specs.size());
    for (TensorSpec spec : specs) {
      Datatype datatype =
          Datatype.fromOipName(spec.getDatatype())
              .orElseThrow(
                  () ->
                      AgoraException.of(
                          ErrorReason.MODEL_NOT_READY,
                          "Model '"
                              + version.getModel()
                              + "' version '"
                              + version.getVersion()
                              + "' has tensor '"
                              + spec.getName()
                              + "' of datatype '"
                              + spec.getDatatype()
                              + "', which Agora cannot serve."));
      tensors.add(
          new TensorSignature(
              spec.getName(),
              datatype,
              spec.getShapeList().stream().mapToLong(Long::longValue).toArray()));
    }
    return tensors;
  }
}
