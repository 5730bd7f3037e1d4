package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.inference.InferenceConfig;
import dev.agora.inference.InferenceServer;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.RevokeApiKeyRequest;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ServerLiveRequest;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.ratelimit.auth.AuthenticationInterceptor;
import dev.agora.ratelimit.auth.RemoteKeyVerifier;
import dev.agora.ratelimit.auth.RemoteVerifierConfig;
import dev.agora.ratelimit.usage.RegistryUsageSink;
import dev.agora.ratelimit.usage.UsageMeter;
import dev.agora.ratelimit.usage.UsageMeterConfig;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public services of {@code agora serve}, wired as {@link AgoraServer} wires them (registry on
 * its store, inference through the registry's VerifyApiKey over the in-process channel), served
 * in-process: every method but health and reflection refuses a call without a key, roles and scopes
 * hold, and a key revoked at the registry stops working on the inference services within two
 * seconds.
 */
class PublicServicesTest {
  @TempDir Path dataDir;

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private RegistryServer registry;
  private List<ServerServiceDefinition> services;
  private ManagedChannel channel;
  private String adminKey;

  @BeforeEach
  void start() throws Exception {
    registry = new RegistryServer(RegistryConfig.defaults(dataDir), InstantSource.system());
    opened.push(registry);
    adminKey = registry.bootstrap().adminKey().orElseThrow().value();
    ManagedChannel registryChannel =
        serve(registry.internalServices(PublicServices.INFERENCE_SERVER));
    InferenceServer inference =
        new InferenceServer(InferenceConfig.defaults(dataDir.resolve("cache")), registryChannel);
    opened.push(inference);
    inference.start();
    ExecutorService refreshes = Executors.newSingleThreadExecutor();
    opened.push(refreshes::shutdownNow);
    UsageMeter usage =
        new UsageMeter(
            UsageMeterConfig.defaults(),
            new RegistryUsageSink(registryChannel, Duration.ofSeconds(10)),
            InstantSource.system());
    opened.push(usage);
    services =
        PublicServices.of(
            registry,
            inference,
            new RemoteKeyVerifier(registryChannel, RemoteVerifierConfig.defaults(), refreshes),
            new HealthStatusManager(),
            usage,
            InstantSource.system());
    channel = serve(services);
  }

  @AfterEach
  void stop() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
  }

  @Test
  void everyMethodButHealthAndReflectionRefusesACallWithoutAKey() throws Exception {
    int checked = 0;
    for (ServerServiceDefinition service : services) {
      String name = service.getServiceDescriptor().getName();
      boolean open = AuthenticationInterceptor.OPEN_SERVICES.contains(name);
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        // health's Watch streams until its deadline: open services get a short one
        Status status = callWithoutKey(method.getMethodDescriptor(), open ? 1 : 10);
        if (open) {
          assertThat(status.getCode())
              .as(method.getMethodDescriptor().getFullMethodName())
              .isNotEqualTo(Status.Code.UNAUTHENTICATED);
        } else {
          assertThat(status.getCode())
              .as(method.getMethodDescriptor().getFullMethodName())
              .isEqualTo(Status.Code.UNAUTHENTICATED);
          checked++;
        }
      }
    }
    assertThat(services)
        .extracting(s -> s.getServiceDescriptor().getName())
        .contains(
            "inference.GRPCInferenceService",
            "agora.registry.v1.RegistryService",
            "agora.access.v1.AccessService",
            "grpc.health.v1.Health");
    assertThat(checked).isGreaterThan(20);
    assertThat(inference(adminKey).serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();
  }

  @Test
  void aConsumerCallsModelsButCannotPublishAndLosesAccessWithinTwoSecondsOfRevocation() {
    access(adminKey)
        .createTeam(
            CreateTeamRequest.newBuilder()
                .setTeam(
                    Team.newBuilder()
                        .setName("fraud")
                        .addMembers(
                            TeamMember.newBuilder()
                                .setPrincipal("carol")
                                .addRoles(Role.ROLE_CONSUMER)))
                .build());
    var created =
        access(adminKey)
            .createApiKey(
                CreateApiKeyRequest.newBuilder().setTeam("fraud").setPrincipal("carol").build());
    String carol = created.getToken();

    assertThat(inference(carol).serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();
    StatusRuntimeException denied =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                withKey(RegistryServiceGrpc.newBlockingStub(channel), carol)
                    .createModel(
                        CreateModelRequest.newBuilder()
                            .setModel(Model.newBuilder().setName("carols").setOwnerTeam("fraud"))
                            .build()));
    assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.getStatus().getDescription()).contains("publisher role in team 'fraud'");
    assertThat(inference(carol).serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();

    access(adminKey)
        .revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(created.getKey().getId()).build());

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(25))
        .until(
            () ->
                refusedAsUnauthenticated(
                    () -> inference(carol).serverLive(ServerLiveRequest.getDefaultInstance())));
    assertThat(
            refusedAsUnauthenticated(
                () -> access(carol).whoAmI(WhoAmIRequest.getDefaultInstance())))
        .isTrue();
    assertThat(inference(adminKey).serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();
  }

  private static boolean refusedAsUnauthenticated(Runnable call) {
    try {
      call.run();
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNAUTHENTICATED;
    }
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference(String key) {
    return withKey(GRPCInferenceServiceGrpc.newBlockingStub(channel), key);
  }

  private AccessServiceGrpc.AccessServiceBlockingStub access(String key) {
    return withKey(AccessServiceGrpc.newBlockingStub(channel), key);
  }

  private static <S extends AbstractStub<S>> S withKey(S stub, String key) {
    Metadata headers = new Metadata();
    headers.put(AuthenticationInterceptor.AUTHORIZATION, "Bearer " + key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private ManagedChannel serve(List<ServerServiceDefinition> definitions) throws IOException {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    definitions.forEach(builder::addService);
    Server server = builder.build().start();
    opened.push(() -> server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    ManagedChannel client = InProcessChannelBuilder.forName(name).build();
    opened.push(() -> client.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return client;
  }

  /** Sends one empty message (valid for any protobuf request) and returns the closing status. */
  private Status callWithoutKey(MethodDescriptor<?, ?> method, int deadlineSeconds)
      throws Exception {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(method.getType())
            .setFullMethodName(method.getFullMethodName())
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            raw, CallOptions.DEFAULT.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(Integer.MAX_VALUE);
    call.sendMessage(new byte[0]);
    call.halfClose();
    return closed.get(10, TimeUnit.SECONDS);
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
}
