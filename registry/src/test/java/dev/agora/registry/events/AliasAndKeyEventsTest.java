package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateApiKeyResponse;
import dev.agora.proto.access.v1.RevokeApiKeyRequest;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.AliasServiceGrpc;
import dev.agora.proto.registry.v1.DeleteAliasRequest;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.SetAliasRequest;
import dev.agora.proto.registry.v1.WatchRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alias and API key records, written into the store as their services store them: the feed reports
 * alias moves and key revocations, and ignores everything else under those keys.
 */
class AliasAndKeyEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String STABLE = "/agora/v1/models/fraud/aliases/stable";

  @TempDir Path dataDir;
  private EventsHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry = EventsHarness.start(dataDir, EventsConfig.defaults());
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  private static Alias stable(String version) {
    return Alias.newBuilder()
        .setModel("fraud")
        .setAlias("stable")
        .setVersion(version)
        .setUpdatedBy("alice")
        .build();
  }

  private static StoredApiKey key(String id, boolean revoked) {
    ApiKey.Builder key = ApiKey.newBuilder().setId(id).setTeam("risk").setPrincipal("bot");
    if (revoked) {
      key.setRevokeTime(Timestamp.newBuilder().setSeconds(1_800_000_000L));
    }
    return StoredApiKey.newBuilder().setKey(key).build();
  }

  @Test
  void aliasMovesAndRemovalsCarryWhereTheAliasPointedBefore() {
    EventRecorder watch = registry.watchFrom(0);
    await().atMost(WAIT).until(() -> !watch.all().isEmpty());

    long created = registry.put(STABLE, stable("1.0.0"));
    registry.put(STABLE + "/history/1", stable("1.0.0"));
    long moved = registry.put(STABLE, stable("1.1.0"));
    registry.put(STABLE, stable("1.1.0").toBuilder().setUpdatedBy("bob").build());
    long deleted = registry.delete(STABLE);
    registry.createModel("sentinel");

    await().atMost(WAIT).until(() -> watch.changes().size() == 4);
    assertThat(watch.changes().subList(0, 3))
        .extracting(
            Event::getType,
            Event::getRevision,
            Event::getAlias,
            Event::getVersion,
            Event::getPreviousVersion)
        .containsExactly(
            Tuple.tuple(EventType.EVENT_TYPE_ALIAS_MOVED, created, "stable", "1.0.0", ""),
            Tuple.tuple(EventType.EVENT_TYPE_ALIAS_MOVED, moved, "stable", "1.1.0", "1.0.0"),
            Tuple.tuple(EventType.EVENT_TYPE_ALIAS_DELETED, deleted, "stable", "", "1.1.0"));
    Event move = watch.changes().get(1);
    assertThat(move.getModel()).isEqualTo("fraud");
    assertThat(move.getAliasRecord())
        .isEqualTo(stable("1.1.0").toBuilder().setRevision(moved).build());
    assertThat(watch.changes().get(3).getType()).isEqualTo(EventType.EVENT_TYPE_MODEL_CREATED);
  }

  @Test
  void aKeyIsReportedOnceWhenItStopsBeingUsable() {
    EventRecorder watch = registry.watch(WatchRequest.newBuilder().addModels("fraud").build());
    await().atMost(WAIT).until(() -> !watch.all().isEmpty());

    registry.put("/agora/v1/keys/k1", key("k1", false));
    long revoked = registry.put("/agora/v1/keys/k1", key("k1", true));
    registry.put(
        "/agora/v1/keys/k1",
        key("k1", true).toBuilder()
            .setKeySha256(com.google.protobuf.ByteString.copyFromUtf8("rehashed"))
            .build());
    registry.put("/agora/v1/keys/k2", key("k2", false));
    long removed = registry.delete("/agora/v1/keys/k2");
    registry.put("/agora/v1/keys/k3", key("k3", true));
    registry.delete("/agora/v1/keys/k3");
    registry.createModel("fraud");

    await().atMost(WAIT).until(() -> watch.changes().size() == 3);
    assertThat(watch.changes().subList(0, 2))
        .extracting(Event::getType, Event::getRevision, Event::getKeyId)
        .containsExactly(
            Tuple.tuple(EventType.EVENT_TYPE_KEY_REVOKED, revoked, "k1"),
            Tuple.tuple(EventType.EVENT_TYPE_KEY_REVOKED, removed, "k2"));
    assertThat(watch.changes().get(0).hasModelRecord()).isFalse();
    assertThat(watch.changes().get(0).getModel()).isEmpty();
    assertThat(watch.changes().get(2).getType()).isEqualTo(EventType.EVENT_TYPE_MODEL_CREATED);
  }

  @Test
  void theAliasAndAccessServicesChangesAreStreamed() throws Exception {
    registry.createModel("fraud");
    registry.upload("fraud", "1.0.0");
    registry.publish("fraud", "1.0.0");
    registry.upload("fraud", "1.1.0");
    registry.publish("fraud", "1.1.0");
    EventRecorder watch =
        registry.watch(
            WatchRequest.newBuilder()
                .addTypes(EventType.EVENT_TYPE_ALIAS_MOVED)
                .addTypes(EventType.EVENT_TYPE_ALIAS_DELETED)
                .addTypes(EventType.EVENT_TYPE_KEY_REVOKED)
                .build());
    await().atMost(WAIT).until(() -> !watch.all().isEmpty());
    AliasServiceGrpc.AliasServiceBlockingStub aliases =
        AliasServiceGrpc.newBlockingStub(registry.channel());
    AccessServiceGrpc.AccessServiceBlockingStub access =
        AccessServiceGrpc.newBlockingStub(registry.channel());

    aliases.setAlias(setStable("1.0.0"));
    Alias moved = aliases.setAlias(setStable("1.1.0"));
    aliases.deleteAlias(
        DeleteAliasRequest.newBuilder().setModel("fraud").setAlias("stable").build());
    String keyId =
        access
            .createApiKey(
                CreateApiKeyRequest.newBuilder()
                    .setTeam(EventsHarness.TEAM)
                    .setDescription("to be revoked")
                    .build())
            .getKey()
            .getId();
    access.revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(keyId).build());

    await().atMost(WAIT).until(() -> watch.changes().size() == 4);
    assertThat(watch.changes())
        .extracting(Event::getType, Event::getVersion, Event::getPreviousVersion, Event::getKeyId)
        .containsExactly(
            Tuple.tuple(EventType.EVENT_TYPE_ALIAS_MOVED, "1.0.0", "", ""),
            Tuple.tuple(EventType.EVENT_TYPE_ALIAS_MOVED, "1.1.0", "1.0.0", ""),
            Tuple.tuple(EventType.EVENT_TYPE_ALIAS_DELETED, "", "1.1.0", ""),
            Tuple.tuple(EventType.EVENT_TYPE_KEY_REVOKED, "", "", keyId));
    assertThat(watch.changes().get(1).getAliasRecord()).isEqualTo(moved);
  }

  @Test
  void aWatchEndsWhenTheKeyItWasOpenedWithIsRevoked() {
    AccessServiceGrpc.AccessServiceBlockingStub access =
        AccessServiceGrpc.newBlockingStub(registry.channel());
    CreateApiKeyResponse created =
        access.createApiKey(
            CreateApiKeyRequest.newBuilder()
                .setTeam(EventsHarness.TEAM)
                .setDescription("follower")
                .build());
    EventRecorder follower =
        EventsHarness.watch(
            registry.keyed(created.getToken()), WatchRequest.getDefaultInstance(), -1);
    EventRecorder admin = registry.watchFrom(0);
    await().atMost(WAIT).until(() -> !follower.all().isEmpty() && !admin.all().isEmpty());

    access.revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(created.getKey().getId()).build());

    await().atMost(WAIT).until(follower::ended);
    assertThat(follower.failure().getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(follower.errorInfo().getMetadataMap())
        .containsEntry("key_id", created.getKey().getId());
    assertThat(follower.changes()).isEmpty();
    await().atMost(WAIT).until(() -> admin.changes().size() == 1);
    assertThat(admin.changes().get(0).getKeyId()).isEqualTo(created.getKey().getId());
    registry.createModel("after-revocation");
    await().atMost(WAIT).until(() -> admin.changes().size() == 2);
    assertThat(admin.ended()).isFalse();
  }

  private static SetAliasRequest setStable(String version) {
    return SetAliasRequest.newBuilder()
        .setModel("fraud")
        .setAlias("stable")
        .setVersion(version)
        .build();
  }

  @Test
  void keysAndAliasesThatExistedBeforeTheRegistryStartedKeepTheirHistory() throws Exception {
    registry.put(STABLE, stable("1.0.0"));
    registry.put("/agora/v1/keys/k1", key("k1", false));
    registry = registry.restart(dataDir, EventsConfig.defaults());
    EventRecorder watch = registry.watchFrom(0);
    await().atMost(WAIT).until(() -> !watch.all().isEmpty());

    registry.put(STABLE, stable("2.0.0"));
    registry.put("/agora/v1/keys/k1", key("k1", true));

    await().atMost(WAIT).until(() -> watch.changes().size() == 2);
    assertThat(watch.changes().get(0).getPreviousVersion()).isEqualTo("1.0.0");
    assertThat(watch.changes().get(1).getKeyId()).isEqualTo("k1");
  }
}
