package dev.agora.registry.events;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.keys.ApiKeyToken;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import dev.agora.registry.access.AccessConfig;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import dev.agora.testing.models.TestModels;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link RegistryServer} (authentication included) behind an in-process gRPC server, with
 * client helpers calling as the bootstrap administrator.
 */
final class EventsHarness implements AutoCloseable {
  /** The team every test model belongs to: the administrators' own. */
  static final String TEAM = Caller.ADMINS_TEAM;

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final RegistryServer registry;
  private final String adminKey;
  private final Server server;
  private final ManagedChannel transport;
  private final Channel channel;

  private EventsHarness(Path dataDir, EventsConfig events, String adminKey) throws IOException {
    this.registry =
        new RegistryServer(
            RegistryConfig.defaults(dataDir),
            AccessConfig.defaults(),
            events,
            InstantSource.system());
    this.adminKey =
        adminKey != null
            ? adminKey
            : registry.bootstrap().adminKey().map(ApiKeyToken::value).orElseThrow();
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    registry.services().forEach(builder::addService);
    this.server = builder.build().start();
    this.transport = InProcessChannelBuilder.forName(name).build();
    this.channel = keyed(this.adminKey);
  }

  /** The registry's channel, calling with {@code key}. */
  Channel keyed(String key) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + key);
    return ClientInterceptors.intercept(
        transport, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A registry on a new data directory, with a freshly bootstrapped administrator key. */
  static EventsHarness start(Path dataDir, EventsConfig events) throws IOException {
    return new EventsHarness(dataDir, events, null);
  }

  /** The same registry again, on its data directory, called with the same key. */
  EventsHarness restart(Path dataDir, EventsConfig events) throws Exception {
    close();
    return new EventsHarness(dataDir, events, adminKey);
  }

  /** The registry's channel, calling as the bootstrap administrator. */
  Channel channel() {
    return channel;
  }

  MetadataStore store() {
    return registry.metadataStore();
  }

  ChangeFeed feed() {
    return registry.changeFeed();
  }

  /** Starts a watch that reads as fast as events come. */
  EventRecorder watch(WatchRequest request) {
    return watch(request, -1);
  }

  /** Starts a watch that requests only {@code initialRequests} messages (-1: all). */
  EventRecorder watch(WatchRequest request, int initialRequests) {
    return watch(channel, request, initialRequests);
  }

  /** Starts a watch on {@code channel}, requesting {@code initialRequests} messages (-1: all). */
  static EventRecorder watch(Channel channel, WatchRequest request, int initialRequests) {
    EventRecorder recorder = new EventRecorder(initialRequests);
    EventsServiceGrpc.newStub(channel).watch(request, recorder);
    return recorder;
  }

  EventRecorder watchFrom(long fromRevision) {
    return watch(WatchRequest.newBuilder().setFromRevision(fromRevision).build());
  }

  private RegistryServiceGrpc.RegistryServiceBlockingStub blocking() {
    return RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  Model createModel(String name) {
    return blocking()
        .createModel(
            CreateModelRequest.newBuilder()
                .setModel(
                    Model.newBuilder().setName(name).setOwnerTeam(TEAM).setSummary("model " + name))
                .build());
  }

  ModelVersion publish(String model, String version) {
    return blocking()
        .publishVersion(
            PublishVersionRequest.newBuilder().setModel(model).setVersion(version).build());
  }

  /** Uploads a valid ONNX model with a digest of its own as {@code model} {@code version}. */
  ModelVersion upload(String model, String version) throws Exception {
    byte[] bytes = distinctModel(model + " " + version);
    CompletableFuture<ModelVersion> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        RegistryServiceGrpc.newStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .uploadVersion(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelVersion value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
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
                    .setSha256(sha256(bytes))
                    .setSizeBytes(bytes.length))
            .build());
    requests.onNext(UploadVersionRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build());
    requests.onCompleted();
    return answer.get(60, TimeUnit.SECONDS);
  }

  /** Writes a record straight into the store, as a registry component would; its revision. */
  long put(String key, MessageLite record) {
    return store().commit(Txn.builder().put(key, record.toByteArray()).build()).revision();
  }

  /** Deletes a key straight from the store; the revision of the deletion. */
  long delete(String key) {
    return store().commit(Txn.builder().delete(key).build()).revision();
  }

  private static byte[] distinctModel(String tag) throws InvalidProtocolBufferException {
    return ModelProto.parseFrom(TestModels.mlp()).toBuilder()
        .setDocString(tag)
        .build()
        .toByteArray();
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Override
  public void close() throws InterruptedException {
    try {
      transport.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    } finally {
      registry.close();
    }
  }
}
