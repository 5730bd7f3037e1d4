package dev.agora.ratelimit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.Caller;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.VerifyApiKeyResponse;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.ratelimit.keys.ApiKeyToken;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteKeyVerifierTest {
  private final ApiKeyToken key = ApiKeyGenerator.secure().next();
  private final FakeAccessService registry = new FakeAccessService();
  private final ExecutorService refreshes = Executors.newSingleThreadExecutor();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(registry).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    registry.answer(key.value(), valid());
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    refreshes.shutdownNow();
  }

  @Test
  void aValidKeyBecomesTheCallerTheRegistryDescribes() {
    KeyVerification verdict = verifier(Duration.ofSeconds(1)).verify(key);

    assertThat(verdict).isInstanceOf(KeyVerification.Accepted.class);
    var caller = ((KeyVerification.Accepted) verdict).caller();
    assertThat(caller.principal()).isEqualTo("svc");
    assertThat(caller.team()).isEqualTo("fraud");
    assertThat(caller.roles()).containsExactly(dev.agora.ratelimit.identity.Role.CONSUMER);
  }

  @Test
  void verdictsAreReusedWithinTheirLifetime() {
    RemoteKeyVerifier verifier = verifier(Duration.ofSeconds(1));
    ApiKeyToken unknown = ApiKeyGenerator.secure().next();

    for (int i = 0; i < 20; i++) {
      verifier.verify(key);
      verifier.verify(unknown);
    }

    assertThat(registry.calls()).isBetween(2, 4);
  }

  @Test
  void aRevokedKeyIsRefusedWithinTwoSeconds() {
    RemoteKeyVerifier verifier = verifier(RemoteVerifierConfig.defaults().cacheTtl());
    assertThat(verifier.verify(key)).isInstanceOf(KeyVerification.Accepted.class);

    registry.answer(
        key.value(),
        VerifyApiKeyResponse.newBuilder()
            .setOutcome(VerifyApiKeyResponse.Outcome.OUTCOME_REVOKED)
            .setMessage("The API key was revoked.")
            .build());

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> verifier.verify(key) instanceof KeyVerification.Rejected);
    var rejected = (KeyVerification.Rejected) verifier.verify(key);
    assertThat(rejected.outcome()).isEqualTo(KeyVerification.Outcome.REVOKED);
    assertThat(rejected.message()).isEqualTo("The API key was revoked.");
  }

  @Test
  void aRegistryThatDoesNotAnswerMakesVerificationUnavailableUntilItDoes() {
    RemoteKeyVerifier verifier = verifier(Duration.ofMillis(50));
    registry.down(true);

    AgoraException failure = catchThrowableOfType(AgoraException.class, () -> verifier.verify(key));

    assertThat(failure.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE);
    registry.down(false);
    assertThat(verifier.verify(key)).isInstanceOf(KeyVerification.Accepted.class);
  }

  @Test
  void theCacheLifetimeIsBoundedSoRevocationStaysFast() {
    var defaults = RemoteVerifierConfig.defaults();
    assertThat(defaults.cacheTtl()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new RemoteVerifierConfig(Duration.ofSeconds(5), defaults.callTimeout(), 10))
        .withMessageContaining("cacheTtl");
  }

  private RemoteKeyVerifier verifier(Duration ttl) {
    return new RemoteKeyVerifier(
        channel, new RemoteVerifierConfig(ttl, Duration.ofSeconds(5), 100), refreshes);
  }

  private static VerifyApiKeyResponse valid() {
    return VerifyApiKeyResponse.newBuilder()
        .setOutcome(VerifyApiKeyResponse.Outcome.OUTCOME_VALID)
        .setCaller(
            Caller.newBuilder()
                .setKeyId("k")
                .setPrincipal("svc")
                .setTeam("fraud")
                .addRoles(Role.ROLE_CONSUMER)
                .addScopes("inference"))
        .build();
  }
}
