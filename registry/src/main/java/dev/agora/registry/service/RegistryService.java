package dev.agora.registry.service;

import static dev.agora.registry.service.Responses.respond;

import com.google.protobuf.Timestamp;
import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.registry.v1.ApproveVersionRequest;
import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.DeleteVersionRequest;
import dev.agora.proto.registry.v1.DeleteVersionResponse;
import dev.agora.proto.registry.v1.DeprecateVersionRequest;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.GetVersionRequest;
import dev.agora.proto.registry.v1.ListCurationCandidatesRequest;
import dev.agora.proto.registry.v1.ListCurationCandidatesResponse;
import dev.agora.proto.registry.v1.ListModelsRequest;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.ListVersionsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.RejectVersionRequest;
import dev.agora.proto.registry.v1.ReopenVersionRequest;
import dev.agora.proto.registry.v1.RetireVersionRequest;
import dev.agora.proto.registry.v1.SubmitForReviewRequest;
import dev.agora.proto.registry.v1.UpdateModelRequest;
import dev.agora.proto.registry.v1.UpdateVersionMetadataRequest;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.catalog.CatalogNames;
import dev.agora.registry.catalog.CurationQueries;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.VersionEditor;
import dev.agora.registry.catalog.VersionLifecycle;
import dev.agora.registry.catalog.VersionRepository;
import io.grpc.stub.StreamObserver;
import java.time.Instant;

/**
 * {@code agora.registry.v1.RegistryService}: models, versions, uploads and downloads. Requests are
 * checked here and handed to the catalog; reads first wait for their {@code min_revision}.
 */
public final class RegistryService extends RegistryServiceGrpc.RegistryServiceImplBase {
  private final ModelCatalog models;
  private final VersionRepository versions;
  private final VersionEditor editor;
  private final VersionLifecycle lifecycle;
  private final CurationQueries curation;
  private final VersionUploads uploads;
  private final BlobStore blobs;
  private final ReadConsistency reads;
  private final int downloadChunkBytes;

  RegistryService(
      ModelCatalog models,
      VersionRepository versions,
      VersionEditor editor,
      VersionLifecycle lifecycle,
      CurationQueries curation,
      VersionUploads uploads,
      BlobStore blobs,
      ReadConsistency reads,
      int downloadChunkBytes) {
    this.models = models;
    this.versions = versions;
    this.editor = editor;
    this.lifecycle = lifecycle;
    this.curation = curation;
    this.uploads = uploads;
    this.blobs = blobs;
    this.reads = reads;
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
    respond(
        responses,
        () -> {
          String name = CatalogNames.requireModelName("name", request.getName());
          reads.await(request.getMinRevision());
          return models.get(name);
        });
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
    respond(
        responses,
        () -> {
          reads.await(request.getMinRevision());
          return models.list(request.getPageSize(), request.getPageToken());
        });
  }

  @Override
  public void updateModel(UpdateModelRequest request, StreamObserver<Model> responses) {
    respond(
        responses,
        () -> {
          if (!request.hasModel()) {
            throw AgoraException.invalidField("model", "is required");
          }
          return models.update(
              request.getModel(), request.getUpdateMask(), request.getExpectedRevision());
        });
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
        () -> {
          String model = CatalogNames.requireModelName("model", request.getModel());
          String version = CatalogNames.requireVersion("version", request.getVersion());
          reads.await(request.getMinRevision());
          return versions.get(model, version);
        });
  }

  @Override
  public void listVersions(
      ListVersionsRequest request, StreamObserver<ListVersionsResponse> responses) {
    respond(
        responses,
        () -> {
          String model = CatalogNames.requireModelName("model", request.getModel());
          reads.await(request.getMinRevision());
          return versions.list(model, request.getPageSize(), request.getPageToken());
        });
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
  public void updateVersionMetadata(
      UpdateVersionMetadataRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () -> {
          if (!request.hasVersion()) {
            throw AgoraException.invalidField("version", "is required");
          }
          return editor.updateMetadata(
              request.getVersion(), request.getUpdateMask(), request.getExpectedRevision());
        });
  }

  @Override
  public void deleteVersion(
      DeleteVersionRequest request, StreamObserver<DeleteVersionResponse> responses) {
    respond(
        responses,
        () -> {
          long revision =
              editor.deleteDraft(
                  CatalogNames.requireModelName("model", request.getModel()),
                  CatalogNames.requireVersion("version", request.getVersion()),
                  request.getExpectedRevision());
          return DeleteVersionResponse.newBuilder().setRevision(revision).build();
        });
  }

  @Override
  public void submitForReview(
      SubmitForReviewRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () -> lifecycle.submit(model(request.getModel()), version(request.getVersion())));
  }

  @Override
  public void approveVersion(
      ApproveVersionRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () ->
            lifecycle.approve(
                model(request.getModel()), version(request.getVersion()), request.getComment()));
  }

  @Override
  public void rejectVersion(RejectVersionRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () ->
            lifecycle.reject(
                model(request.getModel()), version(request.getVersion()), request.getReason()));
  }

  @Override
  public void reopenVersion(ReopenVersionRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () -> lifecycle.reopen(model(request.getModel()), version(request.getVersion())));
  }

  @Override
  public void deprecateVersion(
      DeprecateVersionRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () ->
            lifecycle.deprecate(
                model(request.getModel()),
                version(request.getVersion()),
                request.hasSunsetTime() ? instant(request.getSunsetTime()) : null,
                request.getSuccessorVersion()));
  }

  @Override
  public void retireVersion(RetireVersionRequest request, StreamObserver<ModelVersion> responses) {
    respond(
        responses,
        () -> lifecycle.retire(model(request.getModel()), version(request.getVersion())));
  }

  @Override
  public void listCurationCandidates(
      ListCurationCandidatesRequest request,
      StreamObserver<ListCurationCandidatesResponse> responses) {
    respond(
        responses,
        () -> {
          reads.await(request.getMinRevision());
          return ListCurationCandidatesResponse.newBuilder()
              .addAllModels(curation.candidates(request.getKind(), request.getDays()))
              .build();
        });
  }

  @Override
  public void downloadArtifact(
      DownloadArtifactRequest request, StreamObserver<ArtifactChunk> responses) {
    try {
      String model = CatalogNames.requireModelName("model", request.getModel());
      String version = CatalogNames.requireVersion("version", request.getVersion());
      reads.await(request.getMinRevision());
      ArtifactDownload.start(versions.get(model, version), blobs, downloadChunkBytes, responses);
    } catch (RuntimeException e) {
      responses.onError(ErrorStatus.toStatusException(e));
    }
  }

  private static String model(String name) {
    return CatalogNames.requireModelName("model", name);
  }

  private static String version(String version) {
    return CatalogNames.requireVersion("version", version);
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
