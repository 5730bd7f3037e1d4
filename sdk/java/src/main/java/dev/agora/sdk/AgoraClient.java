package dev.agora.sdk;

import com.google.protobuf.ByteString;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.Caller;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateApiKeyResponse;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.ListApiKeysRequest;
import dev.agora.proto.access.v1.ListApiKeysResponse;
import dev.agora.proto.access.v1.RevokeApiKeyRequest;
import dev.agora.proto.access.v1.SetTeamMemberRequest;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.proto.access.v1.WhoAmIRequest;
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
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
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
 * A client for one Agora endpoint (registry and inference on one address in all-in-one mode). Every
 * call carries the API key given at connection as {@code authorization: Bearer <key>}. Thread-safe;
 * close it to release the channel it owns.
 */
public final class AgoraClient implements AutoCloseable {
  /** Upload chunk size: the registry accepts at most 1 MiB per message. */
  static final int CHUNK_BYTES = 1 << 20;

  /** The header that carries the API key. */
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel ownedChannel;
  private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;
  private final RegistryServiceGrpc.RegistryServiceStub registryAsync;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
  private final AccessServiceGrpc.AccessServiceBlockingStub access;
  private final Channel keyedChannel;

  private AgoraClient(Channel transport, ManagedChannel ownedChannel, String apiKey) {
    this.ownedChannel = ownedChannel;
    Channel channel = apiKey == null ? transport : withKey(transport, apiKey);
    this.keyedChannel = channel;
    this.access = AccessServiceGrpc.newBlockingStub(channel);
    this.registry = RegistryServiceGrpc.newBlockingStub(channel);
    this.registryAsync = RegistryServiceGrpc.newStub(channel);
    this.inference =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withMaxInboundMessageSize(Integer.MAX_VALUE)
            .withMaxOutboundMessageSize(Integer.MAX_VALUE);
  }

  /**
   * Connects in plaintext to {@code host:port} without a key: only health checks will succeed.
   *
   * @see #connect(String, String)
   */
  public static AgoraClient connect(String target) {
    ManagedChannel channel = plaintext(target);
    return new AgoraClient(channel, channel, null);
  }

  /** Connects in plaintext to {@code host:port}, sending {@code apiKey} with every call. */
  public static AgoraClient connect(String target, String apiKey) {
    ManagedChannel channel = plaintext(target);
    return new AgoraClient(channel, channel, requireKey(apiKey));
  }

  /** Uses a channel the caller owns and closes, without a key. */
  public static AgoraClient over(Channel channel) {
    return new AgoraClient(channel, null, null);
  }

  /** Uses a channel the caller owns and closes, sending {@code apiKey} with every call. */
  public static AgoraClient over(Channel channel, String apiKey) {
    return new AgoraClient(channel, null, requireKey(apiKey));
  }

  private static ManagedChannel plaintext(String target) {
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .maxInboundMessageSize(Integer.MAX_VALUE)
        .build();
  }

  private static String requireKey(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException(
          "an API key is required: pass the agora_<id>_<secret> key an administrator created");
    }
    return apiKey.strip();
  }

  private static Channel withKey(Channel channel, String apiKey) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + apiKey);
    return ClientInterceptors.intercept(
        channel, MetadataUtils.newAttachHeadersInterceptor(headers));
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

  /**
   * Registers a model named {@code name}, owned by {@code ownerTeam}, unless it exists, and returns
   * it.
   */
  public Model ensureModel(String name, String summary, String ownerTeam) {
    return findModel(name)
        .orElseGet(
            () ->
                createModel(
                    Model.newBuilder()
                        .setName(name)
                        .setSummary(summary)
                        .setOwnerTeam(ownerTeam)
                        .build()));
  }

  /**
   * Registers a model named {@code name}, owned by the team of this client's key, unless it exists.
   */
  public Model ensureModel(String name, String summary) {
    return findModel(name).orElseGet(() -> ensureModel(name, summary, whoAmI().getTeam()));
  }

  /**
   * A new client for the registry's change feed on this client's channel and key. Close it when
   * done; closing this client's channel ends its watches too.
   */
  public EventsClient events() {
    return EventsClient.over(keyedChannel);
  }

  /**
   * Review, deprecation and retirement, aliases, usage and curation, on this client's channel and
   * key.
   */
  public GovernanceClient governance() {
    return new GovernanceClient(keyedChannel);
  }

  /** Who the server takes this client for: key, principal, team, roles and scopes. */
  public Caller whoAmI() {
    return call(() -> access.whoAmI(WhoAmIRequest.getDefaultInstance()));
  }

  /** Creates a team (global administrators only). */
  public Team createTeam(Team team) {
    return call(() -> access.createTeam(CreateTeamRequest.newBuilder().setTeam(team).build()));
  }

  /** Adds a member to a team or replaces its roles (team administrators). */
  public Team setTeamMember(String team, TeamMember member) {
    return call(
        () ->
            access.setTeamMember(
                SetTeamMemberRequest.newBuilder().setTeam(team).setMember(member).build()));
  }

  /** Creates an API key; the response's {@code token} is the key, shown only this once. */
  public CreateApiKeyResponse createApiKey(CreateApiKeyRequest request) {
    return call(() -> access.createApiKey(request));
  }

  /** Lists API keys (never their secrets). */
  public ListApiKeysResponse listApiKeys(ListApiKeysRequest request) {
    return call(() -> access.listApiKeys(request));
  }

  /** Revokes an API key by its id; every server refuses it within two seconds. */
  public ApiKey revokeApiKey(String id) {
    return call(() -> access.revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(id).build()));
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

  /** Runs a blocking call, turning a gRPC failure into an {@link AgoraClientException}. */
  static <T> T call(Supplier<T> rpc) {
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
