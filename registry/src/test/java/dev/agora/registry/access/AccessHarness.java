package dev.agora.registry.access;

import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.PrincipalKind;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.SetTeamMemberRequest;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.ratelimit.auth.AuthenticationInterceptor;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The real {@link RegistryServer} behind an in-process server, with keys for several roles. */
final class AccessHarness implements AutoCloseable {
  final String adminKey = ApiKeyGenerator.secure().next().value();
  final TestClock clock = new TestClock(Instant.parse("2026-03-01T00:00:00Z"));
  final RegistryServer registry;
  private final Path dataDir;
  private final Server server;
  private final ManagedChannel channel;

  AccessHarness(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    this.registry =
        new RegistryServer(
            RegistryConfig.defaults(dataDir),
            AccessConfig.defaults().withBootstrapAdminKey(adminKey),
            clock);
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    registry.services().forEach(builder::addService);
    this.server = builder.build().start();
    this.channel = InProcessChannelBuilder.forName(name).build();
  }

  Path registryDataDir() {
    return dataDir;
  }

  ManagedChannel channel() {
    return channel;
  }

  AccessServiceGrpc.AccessServiceBlockingStub access(String key) {
    return withKey(AccessServiceGrpc.newBlockingStub(channel), key);
  }

  RegistryServiceGrpc.RegistryServiceBlockingStub registry(String key) {
    return withKey(RegistryServiceGrpc.newBlockingStub(channel), key);
  }

  RegistryServiceGrpc.RegistryServiceStub registryAsync(String key) {
    return withKey(RegistryServiceGrpc.newStub(channel), key);
  }

  static <S extends AbstractStub<S>> S withKey(S stub, String key) {
    Metadata headers = new Metadata();
    if (key != null) {
      headers.put(AuthenticationInterceptor.AUTHORIZATION, "Bearer " + key);
    }
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Creates a team (as the administrator) with the given members. */
  Team createTeam(String name, TeamMember... members) {
    return access(adminKey)
        .createTeam(
            CreateTeamRequest.newBuilder()
                .setTeam(Team.newBuilder().setName(name).addAllMembers(List.of(members)))
                .build());
  }

  static TeamMember member(String principal, Role... roles) {
    return TeamMember.newBuilder()
        .setPrincipal(principal)
        .setKind(PrincipalKind.PRINCIPAL_KIND_USER)
        .addAllRoles(List.of(roles))
        .build();
  }

  Team setMemberAs(String key, String team, TeamMember member) {
    return access(key)
        .setTeamMember(SetTeamMemberRequest.newBuilder().setTeam(team).setMember(member).build());
  }

  /** A key (made by the administrator) for {@code principal} in {@code team}. */
  String key(String team, String principal, String... scopes) {
    return access(adminKey)
        .createApiKey(
            CreateApiKeyRequest.newBuilder()
                .setTeam(team)
                .setPrincipal(principal)
                .addAllScopes(List.of(scopes))
                .build())
        .getToken();
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    registry.close();
  }

  /** A clock tests move by hand. */
  static final class TestClock implements InstantSource {
    private final AtomicReference<Instant> now;

    TestClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration step) {
      now.updateAndGet(current -> current.plus(step));
    }
  }
}
