package dev.agora.registry.access;

import static dev.agora.registry.access.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.RevokeApiKeyRequest;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import dev.agora.registry.store.etcd.EtcdConfig;
import dev.agora.testing.etcd.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registries on one real etcd (the scale-out topology): the second does not bootstrap again,
 * keys made on one work on the other, and a key revoked on one is refused by the other within two
 * seconds (in fact on its next call: registries read keys from the store on every call).
 */
class KeyRevocationAcrossRegistriesIT {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  @TempDir Path first;
  @TempDir Path second;

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @AfterEach
  void stop() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
  }

  @Test
  void aKeyRevokedOnOneRegistryIsRefusedByTheOtherWithinTwoSeconds() throws Exception {
    EtcdConfig store =
        EtcdConfig.defaults()
            .withEndpoints(List.of(etcd.endpoint()))
            .withNamespace("/access-" + UUID.randomUUID() + "/");
    RegistryServer a = open(RegistryConfig.defaults(first).withEtcd(store));
    RegistryServer b = open(RegistryConfig.defaults(second).withEtcd(store));
    assertThat(a.bootstrap().kind()).isEqualTo(BootstrapOutcome.Kind.GENERATED_KEY);
    assertThat(b.bootstrap().kind()).isEqualTo(BootstrapOutcome.Kind.ALREADY_BOOTSTRAPPED);
    String admin = a.bootstrap().adminKey().orElseThrow().value();
    ManagedChannel onA = serve(a);
    ManagedChannel onB = serve(b);

    access(onA, admin)
        .createTeam(
            CreateTeamRequest.newBuilder()
                .setTeam(
                    Team.newBuilder()
                        .setName("fraud")
                        .addMembers(AccessHarness.member("carol", Role.ROLE_CONSUMER)))
                .build());
    var created =
        access(onA, admin)
            .createApiKey(
                CreateApiKeyRequest.newBuilder().setTeam("fraud").setPrincipal("carol").build());
    String carol = created.getToken();

    assertThat(access(onB, carol).whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
        .isEqualTo("carol");
    assertRefused(
        () ->
            AccessHarness.withKey(RegistryServiceGrpc.newBlockingStub(onB), carol)
                .createModel(
                    CreateModelRequest.newBuilder()
                        .setModel(Model.newBuilder().setName("carols").setOwnerTeam("fraud"))
                        .build()),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");

    access(onA, admin)
        .revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(created.getKey().getId()).build());

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> refused(onB, carol));
    assertThat(access(onB, admin).whoAmI(WhoAmIRequest.getDefaultInstance()).getGlobalAdmin())
        .isTrue();
  }

  private static boolean refused(ManagedChannel channel, String key) {
    try {
      access(channel, key).whoAmI(WhoAmIRequest.getDefaultInstance());
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNAUTHENTICATED
          && e.getStatus().getDescription().contains("revoked");
    }
  }

  private static AccessServiceGrpc.AccessServiceBlockingStub access(
      ManagedChannel channel, String key) {
    return AccessHarness.withKey(AccessServiceGrpc.newBlockingStub(channel), key);
  }

  private RegistryServer open(RegistryConfig config) {
    RegistryServer registry = new RegistryServer(config, InstantSource.system());
    opened.push(registry);
    return registry;
  }

  private ManagedChannel serve(RegistryServer registry) throws Exception {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    registry.services().forEach(builder::addService);
    Server server = builder.build().start();
    opened.push(() -> server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    opened.push(() -> channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return channel;
  }
}
