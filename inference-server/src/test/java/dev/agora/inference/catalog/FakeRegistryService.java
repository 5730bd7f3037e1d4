package dev.agora.inference.catalog;

import com.google.protobuf.ByteString;
import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.inference.fixtures.FakeModelCatalog;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Artifact;
import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.GetVersionRequest;
import dev.agora.proto.registry.v1.ListModelsRequest;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.ListVersionsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.Signature;
import dev.agora.proto.registry.v1.Stage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A registry stand-in that answers the read RPCs the inference server uses, with Agora's error
 * details, pages of {@value #PAGE} items and artifact chunks of {@value #CHUNK} bytes.
 */
final class FakeRegistryService extends RegistryServiceGrpc.RegistryServiceImplBase {
  static final int PAGE = 2;
  static final int CHUNK = 1000;

  private record StoredVersion(ModelVersion version, byte[] artifact) {}

  private final Map<String, Map<String, StoredVersion>> models = new TreeMap<>();

  /** Adds a version at {@code stage}; versions are listed newest (last added) first. */
  FakeRegistryService add(
      String model, String version, Stage stage, byte[] artifact, Signature signature) {
    ModelVersion record =
        ModelVersion.newBuilder()
            .setModel(model)
            .setVersion(version)
            .setStage(stage)
            .setSignature(signature)
            .setArtifact(
                Artifact.newBuilder()
                    .setSha256(FakeModelCatalog.sha256(artifact))
                    .setSizeBytes(artifact.length)
                    .setFormat("onnx"))
            .build();
    models
        .computeIfAbsent(model, k -> new LinkedHashMap<>())
        .put(version, new StoredVersion(record, artifact));
    return this;
  }

  /** Marks a stored version RETIRED, naming {@code successor} (empty for none). */
  FakeRegistryService retire(String model, String version, String successor) {
    StoredVersion stored = models.get(model).get(version);
    ModelVersion retired =
        stored.version().toBuilder()
            .setStage(Stage.STAGE_RETIRED)
            .setSuccessorVersion(successor)
            .build();
    models.get(model).put(version, new StoredVersion(retired, stored.artifact()));
    return this;
  }

  @Override
  public void getModel(GetModelRequest request, StreamObserver<Model> observer) {
    if (request.getName().equals("flaky")) {
      observer.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
      return;
    }
    Map<String, StoredVersion> versions = models.get(request.getName());
    if (versions == null) {
      observer.onError(
          notFound(
              ErrorReason.MODEL_NOT_FOUND, "Model '" + request.getName() + "' does not exist."));
      return;
    }
    observer.onNext(
        Model.newBuilder()
            .setName(request.getName())
            .setLatestPublishedVersion(latestPublished(versions))
            .build());
    observer.onCompleted();
  }

  @Override
  public void getVersion(GetVersionRequest request, StreamObserver<ModelVersion> observer) {
    StoredVersion stored = find(request.getModel(), request.getVersion());
    if (stored == null) {
      observer.onError(
          notFound(
              ErrorReason.VERSION_NOT_FOUND,
              "Version '" + request.getVersion() + "' does not exist."));
      return;
    }
    observer.onNext(stored.version());
    observer.onCompleted();
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    List<String> names = new ArrayList<>(models.keySet());
    int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
    int to = Math.min(names.size(), from + PAGE);
    ListModelsResponse.Builder page = ListModelsResponse.newBuilder();
    for (String name : names.subList(from, to)) {
      page.addModels(
          Model.newBuilder()
              .setName(name)
              .setLatestPublishedVersion(latestPublished(models.get(name))));
    }
    observer.onNext(page.setNextPageToken(to < names.size() ? String.valueOf(to) : "").build());
    observer.onCompleted();
  }

  @Override
  public void listVersions(
      ListVersionsRequest request, StreamObserver<ListVersionsResponse> observer) {
    List<StoredVersion> versions =
        new ArrayList<>(models.getOrDefault(request.getModel(), Map.of()).values());
    java.util.Collections.reverse(versions);
    int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
    int to = Math.min(versions.size(), from + PAGE);
    ListVersionsResponse.Builder page = ListVersionsResponse.newBuilder();
    versions.subList(from, to).forEach(v -> page.addVersions(v.version()));
    observer.onNext(page.setNextPageToken(to < versions.size() ? String.valueOf(to) : "").build());
    observer.onCompleted();
  }

  @Override
  public void downloadArtifact(
      DownloadArtifactRequest request, StreamObserver<ArtifactChunk> observer) {
    StoredVersion stored = find(request.getModel(), request.getVersion());
    if (stored == null) {
      observer.onError(notFound(ErrorReason.VERSION_NOT_FOUND, "No such version."));
      return;
    }
    byte[] bytes = stored.artifact();
    for (int offset = 0; offset < bytes.length; offset += CHUNK) {
      int length = Math.min(CHUNK, bytes.length - offset);
      observer.onNext(
          ArtifactChunk.newBuilder().setData(ByteString.copyFrom(bytes, offset, length)).build());
    }
    observer.onCompleted();
  }

  private StoredVersion find(String model, String version) {
    Map<String, StoredVersion> versions = models.get(model);
    return versions == null ? null : versions.get(version);
  }

  private static String latestPublished(Map<String, StoredVersion> versions) {
    String latest = "";
    for (StoredVersion stored : versions.values()) {
      if (stored.version().getStage() == Stage.STAGE_PUBLISHED) {
        latest = stored.version().getVersion();
      }
    }
    return latest;
  }

  private static RuntimeException notFound(ErrorReason reason, String message) {
    return ErrorStatus.toStatusException(AgoraException.of(reason, message));
  }
}
