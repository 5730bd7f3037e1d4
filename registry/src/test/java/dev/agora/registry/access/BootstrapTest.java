package dev.agora.registry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.ratelimit.keys.ApiKeyToken;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first start creates the administrators' team and one key; later starts create nothing. */
class BootstrapTest {
  @TempDir Path dataDir;

  @Test
  void theFirstStartGeneratesAnAdministratorKeyAndLaterStartsKeepIt() throws Exception {
    ApiKeyToken generated;
    try (RegistryServer first =
        new RegistryServer(RegistryConfig.defaults(dataDir), InstantSource.system())) {
      BootstrapOutcome outcome = first.bootstrap();
      assertThat(outcome.kind()).isEqualTo(BootstrapOutcome.Kind.GENERATED_KEY);
      generated = outcome.adminKey().orElseThrow();
      assertThat(whoAmI(first, generated.value()).getGlobalAdmin()).isTrue();
    }

    try (RegistryServer second =
        new RegistryServer(RegistryConfig.defaults(dataDir), InstantSource.system())) {
      assertThat(second.bootstrap().kind()).isEqualTo(BootstrapOutcome.Kind.ALREADY_BOOTSTRAPPED);
      assertThat(second.bootstrap().adminKey()).isEmpty();
      var admin = whoAmI(second, generated.value());
      assertThat(admin.getPrincipal()).isEqualTo(AccessBootstrap.ADMIN_PRINCIPAL);
      assertThat(admin.getTeam()).isEqualTo(Caller.ADMINS_TEAM);
      assertThat(admin.getScopesList())
          .containsExactlyInAnyOrder(
              "registry:read",
              "registry:write",
              "inference",
              "keys:verify",
              "admin",
              "usage:report");
    }
  }

  @Test
  void aConfiguredKeyIsUsedInsteadOfAGeneratedOne() throws Exception {
    String configured = ApiKeyGenerator.secure().next().value();

    try (RegistryServer registry =
        new RegistryServer(
            RegistryConfig.defaults(dataDir),
            AccessConfig.defaults().withBootstrapAdminKey(configured),
            InstantSource.system())) {
      assertThat(registry.bootstrap().kind()).isEqualTo(BootstrapOutcome.Kind.CONFIGURED_KEY);
      assertThat(registry.bootstrap().adminKey().orElseThrow().value()).isEqualTo(configured);
      assertThat(whoAmI(registry, configured).getGlobalAdmin()).isTrue();
    }
  }

  @Test
  void ofTwoBootstrapsOnOneStoreOnlyOneCreatesAnything() {
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(dataDir)) {
      var first =
          AccessBootstrap.run(
              store, Optional.empty(), ApiKeyGenerator.secure(), InstantSource.system());
      var second =
          AccessBootstrap.run(
              store, Optional.empty(), ApiKeyGenerator.secure(), InstantSource.system());

      assertThat(first.kind()).isEqualTo(BootstrapOutcome.Kind.GENERATED_KEY);
      assertThat(second.kind()).isEqualTo(BootstrapOutcome.Kind.ALREADY_BOOTSTRAPPED);
      assertThat(store.range(AccessKeys.KEYS, null, 10).kvs()).hasSize(1);
    }
  }

  @Test
  void aMalformedConfiguredKeyIsRefusedWithoutRepeatingIt() {
    String almost = ApiKeyGenerator.secure().next().value() + "0";

    assertThatIllegalArgumentException()
        .isThrownBy(() -> AccessConfig.defaults().withBootstrapAdminKey(almost))
        .withMessageContaining(AccessConfig.BOOTSTRAP_ADMIN_KEY_VARIABLE)
        .withMessageNotContaining(almost.substring(6, 30));
  }

  private static dev.agora.proto.access.v1.Caller whoAmI(RegistryServer registry, String key)
      throws Exception {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    registry.services().forEach(builder::addService);
    Server server = builder.build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      return AccessHarness.withKey(AccessServiceGrpc.newBlockingStub(channel), key)
          .whoAmI(WhoAmIRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
