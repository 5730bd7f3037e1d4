package dev.agora.registry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.auth.AuthenticationInterceptor;
import dev.agora.ratelimit.auth.KeyVerification;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.ratelimit.identity.PrincipalKind;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.ratelimit.keys.ApiKeyFormat;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.ratelimit.keys.ApiKeyToken;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys on the store: what is stored, how keys are checked, how their use is recorded. */
class StoreKeyVerifierTest {
  @TempDir Path dir;

  private final AccessHarness.TestClock clock =
      new AccessHarness.TestClock(Instant.parse("2026-03-01T00:00:00Z"));
  private CountingStore store;
  private KeyDirectory keys;
  private KeyUsageRecorder usage;
  private StoreKeyVerifier verifier;
  private KeyIssuer issuer;
  private final Caller admin =
      new Caller(
          "bootstrap",
          "admin",
          PrincipalKind.USER,
          Caller.ADMINS_TEAM,
          Set.of(dev.agora.ratelimit.identity.Role.ADMIN),
          Set.of(Scope.values()),
          Optional.empty());

  @BeforeEach
  void open() {
    store = new CountingStore(EmbeddedMetadataStore.open(dir));
    TeamDirectory teams = new TeamDirectory(store, clock);
    keys = new KeyDirectory(store);
    usage =
        new KeyUsageRecorder(
            keys, Executors.newSingleThreadScheduledExecutor(), Duration.ofHours(1));
    verifier = new StoreKeyVerifier(keys, teams, usage, clock);
    issuer = new KeyIssuer(keys, teams, ApiKeyGenerator.secure(), clock);
    teams.create(
        Team.newBuilder()
            .setName("fraud")
            .addMembers(AccessHarness.member("carol", Role.ROLE_CONSUMER))
            .build());
  }

  @AfterEach
  void close() {
    usage.close();
    store.close();
  }

  @Test
  void onlyAHashOfTheKeyIsStored() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(issue());
    }

    List<KeyValue> everything = store.range("", null, 10_000).kvs();
    String stored =
        String.join(
            "\n",
            everything.stream()
                .map(kv -> kv.key() + "=" + new String(kv.value(), StandardCharsets.ISO_8859_1))
                .toList());
    for (String token : tokens) {
      ApiKeyToken key = ApiKeyFormat.parse(token).orElseThrow();
      String secret = token.substring(token.lastIndexOf('_') + 1);
      assertThat(stored).doesNotContain(secret).doesNotContain(token);
      StoredApiKey record = keys.find(key.id()).orElseThrow();
      assertThat(record.getKeySha256().toByteArray()).isEqualTo(key.sha256());
    }
  }

  @Test
  void theRightKeyIsAcceptedAndAWrongSecretForTheSameIdIsNot() {
    ApiKeyToken key = ApiKeyFormat.parse(issue()).orElseThrow();
    ApiKeyToken sameIdOtherSecret = forgeWithId(key.id());

    assertThat(verifier.verify(sameIdOtherSecret)).isInstanceOf(KeyVerification.Rejected.class);
    assertThat(verifier.verify(ApiKeyGenerator.secure().next()))
        .isEqualTo(KeyVerification.unknown());
    KeyVerification accepted = verifier.verify(key);
    assertThat(accepted).isInstanceOf(KeyVerification.Accepted.class);
    assertThat(((KeyVerification.Accepted) accepted).caller().principal()).isEqualTo("carol");
  }

  @Test
  void malformedKeysAreRefusedWithoutTouchingTheStore() {
    AuthenticationInterceptor authentication = new AuthenticationInterceptor(verifier, clock);
    String good = issue();
    int readsBefore = store.reads.get();

    for (String header :
        List.of(
            "",
            "Bearer",
            "Bearer x",
            "Basic " + good,
            "Bearer " + good.substring(0, good.length() - 1),
            "Bearer " + good + "x",
            "Bearer " + good.replace("agora_", "agora-"))) {
      AgoraException refused =
          catchThrowableOfType(AgoraException.class, () -> authentication.authenticate(header));
      assertThat(refused.reason()).as(header).isEqualTo(ErrorReason.UNAUTHENTICATED);
    }

    assertThat(store.reads.get()).isEqualTo(readsBefore);
    assertThat(authentication.authenticate("Bearer " + good).principal()).isEqualTo("carol");
    assertThat(store.reads.get()).isGreaterThan(readsBefore);
  }

  @Test
  void useIsRecordedInBatchesNotOnEveryCall() {
    ApiKeyToken key = ApiKeyFormat.parse(issue()).orElseThrow();
    int commitsBefore = store.commits.get();

    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(verifier.verify(key)).isInstanceOf(KeyVerification.Accepted.class);
    }

    assertThat(store.commits.get()).isEqualTo(commitsBefore);
    assertThat(usage.pendingKeys()).isEqualTo(1);
    usage.flush();
    assertThat(store.commits.get()).isEqualTo(commitsBefore + 1);
    assertThat(CallerProtos.instant(keys.find(key.id()).orElseThrow().getKey().getLastUsedTime()))
        .isEqualTo(clock.instant());
    assertThat(usage.pendingKeys()).isZero();
  }

  @Test
  void lastUsedNeverMovesBackwards() {
    ApiKeyToken key = ApiKeyFormat.parse(issue()).orElseThrow();
    Instant later = clock.instant().plusSeconds(60);

    keys.recordLastUsed(key.id(), later);
    keys.recordLastUsed(key.id(), later.minusSeconds(30));

    assertThat(CallerProtos.instant(keys.find(key.id()).orElseThrow().getKey().getLastUsedTime()))
        .isEqualTo(later);
  }

  @Test
  void revokedAndExpiredKeysAreRefusedWithTheirReason() {
    ApiKeyToken revoked = ApiKeyFormat.parse(issue()).orElseThrow();
    ApiKeyToken expiring =
        ApiKeyFormat.parse(
                issuer
                    .create(
                        admin,
                        request()
                            .setExpireTime(CallerProtos.timestamp(clock.instant().plusSeconds(10)))
                            .build())
                    .getToken())
            .orElseThrow();

    keys.revoke(revoked.id(), clock.instant());
    clock.advance(Duration.ofSeconds(10));

    assertThat(verifier.verify(revoked))
        .isInstanceOfSatisfying(
            KeyVerification.Rejected.class,
            r -> assertThat(r.outcome()).isEqualTo(KeyVerification.Outcome.REVOKED));
    assertThat(verifier.verify(expiring))
        .isInstanceOfSatisfying(
            KeyVerification.Rejected.class,
            r -> {
              assertThat(r.outcome()).isEqualTo(KeyVerification.Outcome.EXPIRED);
              assertThat(r.message()).contains(expiring.redacted()).contains("expired");
            });
    assertThat(verifier.verify(ApiKeyFormat.parse(issue()).orElseThrow()))
        .isInstanceOf(KeyVerification.Accepted.class);
  }

  private String issue() {
    return issuer.create(admin, request().build()).getToken();
  }

  private static CreateApiKeyRequest.Builder request() {
    return CreateApiKeyRequest.newBuilder().setTeam("fraud").setPrincipal("carol");
  }

  /** A well-formed key with {@code id} and a random secret. */
  private static ApiKeyToken forgeWithId(String id) {
    String random = ApiKeyGenerator.secure().next().value();
    return ApiKeyFormat.assemble(
        id,
        random
            .substring(random.length() - ApiKeyFormat.SECRET_CHARS)
            .substring(0, ApiKeyFormat.RANDOM_CHARS));
  }
}
