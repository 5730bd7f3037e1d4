package dev.agora.registry.service;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.GetVersionRequest;
import dev.agora.proto.registry.v1.ListModelsRequest;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.ListVersionsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.catalog.CatalogNames;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.VersionRepository;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** {@code agora.registry.v1.RegistryService}: models, versions, uploads and downloads. */
public final class RegistryService extends RegistryServiceGrpc.RegistryServiceImplBase {
  private final ModelCatalog models;
  private final VersionRepository versions;
  private final VersionUploads uploads;
  private final BlobStore blobs;
  private final int downloadChunkBytes;

  /**
   * A service over the catalog.
   *
   * @param downloadChunkBytes the size of each downloaded chunk
   */
  public RegistryService(
      ModelCatalog models,
      VersionRepository versions,
      VersionUploads uploads,
      BlobStore blobs,
      int downloadChunkBytes) {
    this.models = models;
    this.versions = versions;
    this.uploads = uploads;
    this.blobs = blobs;
    this.downloadChunkBytes = downloadChunkBytes;
  }

  @Override
  public void createModel(CreateModelRequest request, StreamObserver<Model> responses) {
    respond(
        responses,
        () -> {
          if (!request.hasModel()) {
            throw AgoraException.invalidField("model", "is required");
          }
          return models.create(request.getModel());
        });
  }

  @Override
  public void getModel(GetModelRequest request, StreamObserver<Model> responses) {
    respond(responses, () -> models.get(CatalogNames.requireModelName("name", request.getName())));
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
    respond(responses, () -> models.list(request.getPageSize(), request.getPageToken()));
  }

  @Override
  public StreamObserver<UploadVersionRequest> uploadVersion(
      StreamObserver<ModelVersion> responses) {
    return uploads.start(responses);
  }

  @Override
  public void getVersion(GetVersionRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () ->
            versions.get(
                CatalogNames.requireModelName("model", request.getModel()),
                CatalogNames.requireVersion("version", request.getVersion())));
  }

  @Override
  public void listVersions(
      ListVersionsRequest request, StreamObserver<ListVersionsResponse> responses) {
    respond(
        responses,
        () ->
            versions.list(
                CatalogNames.requireModelName("model", request.getModel()),
                request.getPageSize(),
                request.getPageToken()));
  }

  @Override
  public void publishVersion(
      PublishVersionRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () ->
            versions.publish(
                CatalogNames.requireModelName("model", request.getModel()),
                CatalogNames.requireVersion("version", request.getVersion())));
  }

  @Override
  public void downloadArtifact(
      DownloadArtifactRequest request, StreamObserver<ArtifactChunk> responses) {
    try {
      ModelVersion version =
          versions.get(
              CatalogNames.requireModelName("model", request.getModel()),
              CatalogNames.requireVersion("version", request.getVersion()));
      ArtifactDownload.start(version, blobs, downloadChunkBytes, responses);
    } catch (RuntimeException e) {
      responses.onError(ErrorStatus.toStatusException(e));
    }
  }

  private static <T> void respond(StreamObserver<T> responses, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      responses.onError(ErrorStatus.toStatusException(e));
      return;
    }
    responses.onNext(result);
    responses.onCompleted();
  }
}
