package dev.agora.registry.service;

import com.google.protobuf.UnsafeByteOperations;
import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.blob.Sha256Hex;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One DownloadArtifact RPC. Chunks are read from the blob only while the call is ready for more, so
 * a slow client holds back reading instead of filling memory. The bytes are hashed on the way out;
 * if they do not match the recorded digest the stream ends with {@code ARTIFACT_CORRUPTED} instead
 * of completing.
 */
final class ArtifactDownload {
  private final ModelVersion version;
  private final InputStream blob;
  private final ServerCallStreamObserver<ArtifactChunk> responses;
  private final int chunkBytes;
  private final MessageDigest digest;
  private long sent;
  private boolean finished;

  private ArtifactDownload(
      ModelVersion version,
      InputStream blob,
      ServerCallStreamObserver<ArtifactChunk> responses,
      int chunkBytes) {
    this.version = version;
    this.blob = blob;
    this.responses = responses;
    this.chunkBytes = chunkBytes;
    this.digest = sha256();
  }

  /** Opens the version's blob and starts streaming it as the call becomes ready. */
  static void start(
      ModelVersion version,
      BlobStore blobs,
      int chunkBytes,
      StreamObserver<ArtifactChunk> responseObserver) {
    InputStream blob;
    try {
      blob = blobs.open(version.getArtifact().getSha256());
    } catch (NoSuchFileException e) {
      throw corrupted(version, "is missing from the blob store");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ServerCallStreamObserver<ArtifactChunk> responses =
        (ServerCallStreamObserver<ArtifactChunk>) responseObserver;
    ArtifactDownload download = new ArtifactDownload(version, blob, responses, chunkBytes);
    responses.setOnCancelHandler(download::cancel);
    responses.setOnReadyHandler(download::sendWhileReady);
  }

  private synchronized void sendWhileReady() {
    try {
      while (!finished && responses.isReady()) {
        byte[] chunk = blob.readNBytes(chunkBytes);
        if (chunk.length == 0) {
          complete();
          return;
        }
        digest.update(chunk);
        sent += chunk.length;
        responses.onNext(
            ArtifactChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(chunk)).build());
      }
    } catch (IOException | RuntimeException e) {
      end();
      responses.onError(ErrorStatus.toStatusException(e));
    }
  }

  private void complete() {
    end();
    String actual = Sha256Hex.of(digest.digest());
    if (!actual.equals(version.getArtifact().getSha256())
        || sent != version.getArtifact().getSizeBytes()) {
      responses.onError(
          ErrorStatus.toStatusException(
              corrupted(version, "does not match its recorded digest and size")));
      return;
    }
    responses.onCompleted();
  }

  private synchronized void cancel() {
    end();
  }

  private void end() {
    finished = true;
    try {
      blob.close();
    } catch (IOException ignored) {
      // Reading is over either way; nothing depends on a clean close.
    }
  }

  private static AgoraException corrupted(ModelVersion version, String problem) {
    return AgoraException.builder(
            ErrorReason.ARTIFACT_CORRUPTED,
            "The stored artifact of "
                + version.getModel()
                + " "
                + version.getVersion()
                + " "
                + problem
                + ".")
        .metadata("sha256", version.getArtifact().getSha256())
        .build();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK offers no SHA-256", e);
    }
  }
}
