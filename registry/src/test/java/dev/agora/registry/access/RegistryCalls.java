package dev.agora.registry.access;

import com.google.protobuf.ByteString;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Client-side helpers for the registry calls the access tests make. */
final class RegistryCalls {
  private RegistryCalls() {}

  /** Uploads {@code bytes} as one message after the header and waits for the answer. */
  static ModelVersion upload(
      RegistryServiceGrpc.RegistryServiceStub stub, String model, String version, byte[] bytes)
      throws Exception {
    CompletableFuture<ModelVersion> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        stub.uploadVersion(
            new StreamObserver<>() {
              @Override
              public void onNext(ModelVersion value) {
                answer.complete(value);
              }

              @Override
              public void onError(Throwable failure) {
                answer.completeExceptionally(failure);
              }

              @Override
              public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("no response"));
              }
            });
    requests.onNext(
        UploadVersionRequest.newBuilder()
            .setHeader(
                UploadHeader.newBuilder()
                    .setModel(model)
                    .setVersion(version)
                    .setSha256(
                        HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                    .setSizeBytes(bytes.length))
            .build());
    requests.onNext(UploadVersionRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build());
    requests.onCompleted();
    try {
      return answer.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw e;
    }
  }
}
