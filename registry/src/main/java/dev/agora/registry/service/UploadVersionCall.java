package dev.agora.registry.service;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.registry.blob.BlobWriter;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One UploadVersion RPC. gRPC delivers the messages one at a time and asks for the next only after
 * {@link #onNext} returns, so writing each chunk to the staged file before returning is the
 * upload's flow control. The first failure answers the call and aborts the writer; later messages
 * are ignored.
 */
final class UploadVersionCall implements StreamObserver<UploadVersionRequest> {
  private final VersionUploads uploads;
  private final StreamObserver<ModelVersion> responses;
  private final AtomicBoolean answered = new AtomicBoolean();
  private UploadHeader header;
  private BlobWriter writer;

  UploadVersionCall(VersionUploads uploads, StreamObserver<ModelVersion> responses) {
    this.uploads = uploads;
    this.responses = responses;
  }

  @Override
  public void onNext(UploadVersionRequest request) {
    if (answered.get()) {
      return;
    }
    try {
      switch (request.getContentCase()) {
        case HEADER -> onHeader(request.getHeader());
        case CHUNK -> onChunk(request);
        default ->
            throw AgoraException.invalidField(
                "content", "every message must carry a header or a chunk");
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void onHeader(UploadHeader received) throws IOException {
    if (header != null) {
      throw AgoraException.invalidField("header", "only the first message may carry a header");
    }
    writer = uploads.begin(received);
    header = received;
  }

  private void onChunk(UploadVersionRequest request) throws IOException {
    if (header == null) {
      throw AgoraException.invalidField("header", "the first message must be a header");
    }
    uploads.accept(header, writer, request.getChunk());
  }

  @Override
  public void onError(Throwable cause) {
    if (answered.compareAndSet(false, true)) {
      abortWriter();
    }
  }

  @Override
  public void onCompleted() {
    if (answered.get()) {
      return;
    }
    if (header == null) {
      fail(AgoraException.invalidField("header", "the upload carried no header"));
      return;
    }
    try {
      // The caller's gRPC context (and so its identity for the audit log) follows the work.
      uploads.finishers().execute(Context.current().wrap(this::finish));
    } catch (RejectedExecutionException e) {
      fail(e);
    }
  }

  private void finish() {
    try {
      ModelVersion recorded = uploads.finish(header, writer);
      if (answered.compareAndSet(false, true)) {
        responses.onNext(recorded);
        responses.onCompleted();
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void fail(Exception failure) {
    if (answered.compareAndSet(false, true)) {
      abortWriter();
      responses.onError(ErrorStatus.toStatusException(failure));
    }
  }

  private void abortWriter() {
    if (writer != null) {
      writer.abort();
    }
  }
}
