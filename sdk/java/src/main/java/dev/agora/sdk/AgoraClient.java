package dev.agora.sdk;

import com.google.protobuf.ByteString;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client for one Agora endpoint (registry and inference on one address in all-in-one mode).
 * Thread-safe; close it to release the channel it owns.
 */
public final class AgoraClient implements AutoCloseable {
  /** Upload chunk size: the registry accepts at most 1 MiB per message. */
  static final int CHUNK_BYTES = 1 << 20;

  private final ManagedChannel ownedChannel;
  private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;
  private final RegistryServiceGrpc.RegistryServiceStub registryAsync;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;

  private AgoraClient(Channel channel, ManagedChannel ownedChannel) {
    this.ownedChannel = ownedChannel;
    this.registry = RegistryServiceGrpc.newBlockingStub(channel);
    this.registryAsync = RegistryServiceGrpc.newStub(channel);
    this.inference =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withMaxInboundMessageSize(Integer.MAX_VALUE)
            .withMaxOutboundMessageSize(Integer.MAX_VALUE);
  }

  /** Connects in plaintext to {@code host:port}. */
  public static AgoraClient connect(String target) {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(target)
            .usePlaintext()
            .maxInboundMessageSize(Integer.MAX_VALUE)
            .build();
    return new AgoraClient(channel, channel);
  }

  /** Uses a channel the caller owns and closes. */
  public static AgoraClient over(Channel channel) {
    return new AgoraClient(channel, null);
  }

  /** The model with this name, or empty when the registry has none. */
  public Optional<Model> findModel(String name) {
    try {
      return Optional.of(registry.getModel(GetModelRequest.newBuilder().setName(name).build()));
    } catch (StatusRuntimeException e) {
      AgoraClientException failure = AgoraClientException.from(e);
      if (failure.reason() == ErrorReason.MODEL_NOT_FOUND) {
        return Optional.empty();
      }
      throw failure;
    }
  }

  /** Registers a model. */
  public Model createModel(Model model) {
    return call(
        () -> registry.createModel(CreateModelRequest.newBuilder().setModel(model).build()));
  }

  /** Registers a model named {@code name} unless it exists, and returns it. */
  public Model ensureModel(String name, String summary) {
    return findModel(name)
        .orElseGet(() -> createModel(Model.newBuilder().setName(name).setSummary(summary).build()));
  }

  /**
   * Streams an ONNX file to the registry as a new DRAFT version. The sha256 and size are computed
   * first and sent in the header, so the registry can refuse a damaged or truncated upload.
   */
  public ModelVersion upload(String model, String version, Path file) throws IOException {
    ArtifactDigest digest = ArtifactDigest.of(file);
    CompletableFuture<ModelVersion> result = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> upload =
        registryAsync.uploadVersion(new SingleResponseObserver<>(result));
    try (InputStream in = Files.newInputStream(file)) {
      upload.onNext(
          UploadVersionRequest.newBuilder()
              .setHeader(
                  UploadHeader.newBuilder()
                      .setModel(model)
                      .setVersion(version)
                      .setSha256(digest.sha256())
                      .setSizeBytes(digest.sizeBytes()))
              .build());
      byte[] buffer = new byte[CHUNK_BYTES];
      int read;
      while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
        upload.onNext(
            UploadVersionRequest.newBuilder()
                .setChunk(ByteString.copyFrom(buffer, 0, read))
                .build());
      }
      upload.onCompleted();
    } catch (IOException | RuntimeException e) {
      upload.onError(e);
      throw e;
    }
    return await(result);
  }

  /** Publishes a DRAFT version. */
  public ModelVersion publish(String model, String version) {
    return call(
        () ->
            registry.publishVersion(
                PublishVersionRequest.newBuilder().setModel(model).setVersion(version).build()));
  }

  /** Runs one inference request. */
  public ModelInferResponse infer(ModelInferRequest request) {
    return call(() -> inference.modelInfer(request));
  }

  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw AgoraClientException.from(e);
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException sre) {
        throw AgoraClientException.from(sre);
      }
      throw new IllegalStateException("upload failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the upload", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the registry did not answer the upload in time", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
        ownedChannel.shutdownNow();
      }
    }
  }
}
