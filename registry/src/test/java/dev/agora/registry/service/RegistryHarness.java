package dev.agora.registry.service;

import com.google.protobuf.ByteString;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.registry.v1.AliasServiceGrpc;
import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.AuditServiceGrpc;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.proto.registry.v1.GetVersionRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.PrincipalKind;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@link RegistryServer} behind in-process gRPC servers, with client helpers. Each
 * principal a test calls as gets its own in-process server built from {@link
 * RegistryServer#internalServices}, so every call runs the real access policy as a global
 * administrator with that principal's name, which the audit log and alias history record.
 */
final class RegistryHarness implements AutoCloseable {
  /** The principal of calls that name none. */
  static final String ADMIN = "test-admin";

  /** The team that owns the models {@link #createModel} registers. */
  static final String TEAM = "ml-platform";

  final RegistryConfig config;
  final MutableClock clock;
  final RegistryServer registry;
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

  /** One principal's in-process server and channel. */
  private record Endpoint(Server server, ManagedChannel channel) {}

  private RegistryHarness(RegistryConfig config, MutableClock clock) {
    this.config = config;
    this.clock = clock;
    this.registry = new RegistryServer(config, clock);
  }

  static RegistryHarness start(RegistryConfig config, MutableClock clock) throws IOException {
    RegistryHarness harness = new RegistryHarness(config, clock);
    harness.ensureTeam(TEAM);
    return harness;
  }

  /** The channel whose calls run as {@code principal}, a global administrator. */
  ManagedChannel channel(String principal) {
    return endpoints.computeIfAbsent(principal, this::open).channel();
  }

  private Endpoint open(String principal) {
    Caller caller =
        new Caller(
            "",
            principal,
            PrincipalKind.USER,
            Caller.ADMINS_TEAM,
            Set.of(Role.ADMIN),
            EnumSet.allOf(Scope.class),
            Optional.empty());
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    registry.internalServices(caller).forEach(builder::addService);
    try {
      return new Endpoint(builder.build().start(), InProcessChannelBuilder.forName(name).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the team unless it exists. */
  void ensureTeam(String team) {
    try {
      AccessServiceGrpc.newBlockingStub(channel(ADMIN))
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .createTeam(
              CreateTeamRequest.newBuilder().setTeam(Team.newBuilder().setName(team)).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  RegistryServiceGrpc.RegistryServiceBlockingStub blocking() {
    return as(ADMIN);
  }

  /** The blocking stub calling as {@code principal}. */
  RegistryServiceGrpc.RegistryServiceBlockingStub as(String principal) {
    return RegistryServiceGrpc.newBlockingStub(channel(principal))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  AliasServiceGrpc.AliasServiceBlockingStub aliases() {
    return aliasesAs(ADMIN);
  }

  AliasServiceGrpc.AliasServiceBlockingStub aliasesAs(String principal) {
    return AliasServiceGrpc.newBlockingStub(channel(principal))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  AuditServiceGrpc.AuditServiceBlockingStub audit() {
    return AuditServiceGrpc.newBlockingStub(channel(ADMIN)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  RegistryServiceGrpc.RegistryServiceStub async() {
    return RegistryServiceGrpc.newStub(channel(ADMIN)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Registers a model owned by {@link #TEAM}. */
  Model createModel(String name) {
    return blocking()
        .createModel(
            CreateModelRequest.newBuilder()
                .setModel(
                    Model.newBuilder()
                        .setName(name)
                        .setSummary("test model " + name)
                        .setOwnerTeam(TEAM))
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

  /** Uploads as {@code principal}. */
  ModelVersion uploadAs(String principal, String model, String version, byte[] bytes) {
    return send(
        RegistryServiceGrpc.newStub(channel(principal)).withDeadlineAfter(30, TimeUnit.SECONDS),
        uploadMessages(model, version, bytes, config.maxChunkBytes()));
  }

  /** Sends the messages as one UploadVersion call and waits for its answer. */
  ModelVersion send(List<UploadVersionRequest> messages) {
    return send(async(), messages);
  }

  private static ModelVersion send(
      RegistryServiceGrpc.RegistryServiceStub stub, List<UploadVersionRequest> messages) {
    CompletableFuture<ModelVersion> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        stub.uploadVersion(
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
      for (Endpoint endpoint : endpoints.values()) {
        endpoint.channel().shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        endpoint.server().shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      registry.close();
    }
  }
}
