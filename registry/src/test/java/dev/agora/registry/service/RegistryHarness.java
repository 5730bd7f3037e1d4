package dev.agora.registry.service;

import com.google.protobuf.ByteString;
import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.proto.registry.v1.GetVersionRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real {@link RegistryServer} behind an in-process gRPC server, with client helpers. */
final class RegistryHarness implements AutoCloseable {
  final RegistryConfig config;
  final MutableClock clock;
  final RegistryServer registry;
  private final Server server;
  private final ManagedChannel channel;

  private RegistryHarness(RegistryConfig config, MutableClock clock) throws IOException {
    this.config = config;
    this.clock = clock;
    this.registry = new RegistryServer(config, clock);
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    registry.services().forEach(builder::addService);
    this.server = builder.build().start();
    this.channel = InProcessChannelBuilder.forName(name).build();
  }

  static RegistryHarness start(RegistryConfig config, MutableClock clock) throws IOException {
    return new RegistryHarness(config, clock);
  }

  RegistryServiceGrpc.RegistryServiceBlockingStub blocking() {
    return RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  RegistryServiceGrpc.RegistryServiceStub async() {
    return RegistryServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  Model createModel(String name) {
    return blocking()
        .createModel(
            CreateModelRequest.newBuilder()
                .setModel(Model.newBuilder().setName(name).setSummary("test model " + name))
                .build());
  }

  static UploadVersionRequest header(String model, String version, byte[] bytes) {
    return UploadVersionRequest.newBuilder()
        .setHeader(
            UploadHeader.newBuilder()
                .setModel(model)
                .setVersion(version)
                .setSha256(Artifacts.sha256(bytes))
                .setSizeBytes(bytes.length))
        .build();
  }

  static UploadVersionRequest chunk(byte[] bytes, int from, int to) {
    return UploadVersionRequest.newBuilder()
        .setChunk(ByteString.copyFrom(bytes, from, to - from))
        .build();
  }

  /** The messages of a well-formed upload: header, then chunks of at most {@code chunkBytes}. */
  static List<UploadVersionRequest> uploadMessages(
      String model, String version, byte[] bytes, int chunkBytes) {
    List<UploadVersionRequest> messages = new ArrayList<>();
    messages.add(header(model, version, bytes));
    for (int offset = 0; offset < bytes.length; offset += chunkBytes) {
      messages.add(chunk(bytes, offset, Math.min(bytes.length, offset + chunkBytes)));
    }
    return messages;
  }

  ModelVersion upload(String model, String version, byte[] bytes) {
    return send(uploadMessages(model, version, bytes, config.maxChunkBytes()));
  }

  /** Sends the messages as one UploadVersion call and waits for its answer. */
  ModelVersion send(List<UploadVersionRequest> messages) {
    CompletableFuture<ModelVersion> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        async()
            .uploadVersion(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelVersion version) {
                    answer.complete(version);
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
    messages.forEach(requests::onNext);
    requests.onCompleted();
    return await(answer);
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  ModelVersion publish(String model, String version) {
    return blocking()
        .publishVersion(
            PublishVersionRequest.newBuilder().setModel(model).setVersion(version).build());
  }

  ModelVersion getVersion(String model, String version) {
    return blocking()
        .getVersion(GetVersionRequest.newBuilder().setModel(model).setVersion(version).build());
  }

  /** Downloads an artifact with the blocking stub, checking no chunk exceeds the limit. */
  byte[] download(String model, String version) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Iterator<ArtifactChunk> chunks =
        blocking()
            .downloadArtifact(
                DownloadArtifactRequest.newBuilder().setModel(model).setVersion(version).build());
    while (chunks.hasNext()) {
      ByteString data = chunks.next().getData();
      if (data.size() > config.maxChunkBytes()) {
        throw new AssertionError("a chunk of " + data.size() + " bytes exceeds the limit");
      }
      bytes.writeBytes(data.toByteArray());
    }
    return bytes.toByteArray();
  }

  Path blobPath(String sha256) {
    return config.blobDir().resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  boolean blobExists(byte[] artifact) {
    return Files.exists(blobPath(Artifacts.sha256(artifact)));
  }

  /** Uploads staged but not committed. */
  long stagedUploads() {
    try (Stream<Path> files = Files.list(config.blobDir().resolve("tmp"))) {
      return files.count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every committed blob's digest. */
  List<String> storedBlobs() {
    try (Stream<Path> files = Files.walk(config.blobDir().resolve("sha256"))) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      registry.close();
    }
  }
}
