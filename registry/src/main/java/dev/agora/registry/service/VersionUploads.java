package dev.agora.registry.service;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.registry.artifact.ArtifactInspector;
import dev.agora.registry.artifact.InspectedArtifact;
import dev.agora.registry.audit.CallerIdentity;
import dev.agora.registry.blob.BlobRef;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.blob.BlobWriter;
import dev.agora.registry.blob.Sha256Hex;
import dev.agora.registry.catalog.CatalogNames;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.VersionRecorder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The steps of a version upload: checking the header, accepting chunks within the limits, and
 * finishing (length and digest checks, inspection, recording). One {@link UploadVersionCall} per
 * RPC drives these steps.
 */
public final class VersionUploads {
  private final long maxArtifactBytes;
  private final int maxChunkBytes;
  private final ModelCatalog models;
  private final VersionRecorder recorder;
  private final BlobStore blobs;
  private final ArtifactInspector inspector;
  private final Executor finishers;

  /**
   * Upload steps with these limits and collaborators.
   *
   * @param finishers runs the finishing step (digest, inspection, recording) off the transport
   */
  public VersionUploads(
      long maxArtifactBytes,
      int maxChunkBytes,
      ModelCatalog models,
      VersionRecorder recorder,
      BlobStore blobs,
      ArtifactInspector inspector,
      Executor finishers) {
    this.maxArtifactBytes = maxArtifactBytes;
    this.maxChunkBytes = maxChunkBytes;
    this.models = models;
    this.recorder = recorder;
    this.blobs = blobs;
    this.inspector = inspector;
    this.finishers = finishers;
  }

  StreamObserver<UploadVersionRequest> start(StreamObserver<ModelVersion> responses) {
    return new UploadVersionCall(this, responses);
  }

  Executor finishers() {
    return finishers;
  }

  /** Checks the header and opens the writer that will stage the artifact. */
  BlobWriter begin(UploadHeader header) throws IOException {
    String model = CatalogNames.requireModelName("header.model", header.getModel());
    String version = CatalogNames.requireVersion("header.version", header.getVersion());
    if (!Sha256Hex.isValid(header.getSha256())) {
      throw AgoraException.invalidField(
          "header.sha256", "must be 64 lower-case hex characters (the artifact's SHA-256)");
    }
    if (header.getSizeBytes() < 0) {
      throw AgoraException.invalidField("header.size_bytes", "cannot be negative");
    }
    if (header.getSizeBytes() > maxArtifactBytes) {
      throw tooLarge();
    }
    models.get(model);
    recorder.findSameArtifact(model, version, header.getSha256());
    return blobs.newWriter(maxArtifactBytes);
  }

  /** Appends one chunk, refusing it when it breaks a limit. */
  void accept(UploadHeader header, BlobWriter writer, com.google.protobuf.ByteString chunk)
      throws IOException {
    if (chunk.size() > maxChunkBytes) {
      throw AgoraException.builder(
              ErrorReason.LIMIT_EXCEEDED,
              "A chunk of "
                  + chunk.size()
                  + " bytes exceeds the limit of "
                  + maxChunkBytes
                  + " bytes per message.")
          .metadata("limit_bytes", Integer.toString(maxChunkBytes))
          .build();
    }
    long declared = header.getSizeBytes();
    if (declared > 0 && writer.bytesWritten() + chunk.size() > declared) {
      throw AgoraException.invalidField(
          "header.size_bytes", "the upload carried more than the declared " + declared + " bytes");
    }
    writer.write(chunk.asReadOnlyByteBuffer());
  }

  /** Checks length and digest, inspects the artifact and records the version. */
  ModelVersion finish(UploadHeader header, BlobWriter writer) throws IOException {
    long declared = header.getSizeBytes();
    if (declared > 0 && writer.bytesWritten() < declared) {
      throw AgoraException.of(
          ErrorReason.TRUNCATED_UPLOAD,
          "The upload ended after "
              + writer.bytesWritten()
              + " of the declared "
              + declared
              + " bytes.");
    }
    BlobRef blob = writer.seal(header.getSha256());
    Optional<ModelVersion> existing =
        recorder.findSameArtifact(header.getModel(), header.getVersion(), blob.sha256());
    if (existing.isPresent()) {
      writer.abort();
      return existing.get();
    }
    InspectedArtifact inspected;
    try (InputStream staged = writer.openSealed()) {
      inspected = inspector.inspect(staged.readAllBytes());
    }
    ModelVersion draft =
        ModelVersion.newBuilder()
            .setModel(header.getModel())
            .setVersion(header.getVersion())
            .setStage(Stage.STAGE_DRAFT)
            .setArtifact(ArtifactProtos.artifact(blob, inspected))
            .setSignature(ArtifactProtos.signature(inspected))
            .setChangelog(header.getChangelog())
            .addPublishers(CallerIdentity.current())
            .build();
    return recorder.record(draft, writer);
  }

  private AgoraException tooLarge() {
    return AgoraException.builder(
            ErrorReason.ARTIFACT_TOO_LARGE,
            "The artifact is larger than the limit of " + maxArtifactBytes + " bytes.")
        .metadata("limit_bytes", Long.toString(maxArtifactBytes))
        .build();
  }
}
