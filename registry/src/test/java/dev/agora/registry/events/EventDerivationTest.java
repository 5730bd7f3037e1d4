package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The classifier on its own: which change of which key means which event. */
class EventDerivationTest {
  private static final EventDerivation DERIVATION = EventDerivation.registryFamilies();
  private static final String MODEL = "/agora/v1/models/m";
  private static final String VERSION = "/agora/v1/models/m/versions/1.0.0";
  private static final String ALIAS = "/agora/v1/models/m/aliases/stable";
  private static final String KEY = "/agora/v1/keys/k1";

  private static byte[] bytes(MessageLite record) {
    return record == null ? null : record.toByteArray();
  }

  private static Model model(String summary) {
    return Model.newBuilder().setName("m").setSummary(summary).build();
  }

  private static ModelVersion version(Stage stage, String changelog) {
    return ModelVersion.newBuilder()
        .setModel("m")
        .setVersion("1.0.0")
        .setStage(stage)
        .setChangelog(changelog)
        .build();
  }

  private static Alias alias(String version) {
    return Alias.newBuilder().setModel("m").setAlias("stable").setVersion(version).build();
  }

  private static StoredApiKey apiKey(boolean revoked) {
    ApiKey.Builder key = ApiKey.newBuilder().setId("k1");
    if (revoked) {
      key.setRevokeTime(Timestamp.newBuilder().setSeconds(1));
    }
    return StoredApiKey.newBuilder().setKey(key).build();
  }

  static Stream<Arguments> changes() {
    Stage draft = Stage.STAGE_DRAFT;
    Stage published = Stage.STAGE_PUBLISHED;
    return Stream.of(
        Arguments.of(MODEL, null, model("a"), List.of(EventType.EVENT_TYPE_MODEL_CREATED)),
        Arguments.of(MODEL, model("a"), model("b"), List.of(EventType.EVENT_TYPE_MODEL_UPDATED)),
        Arguments.of(MODEL, model("a"), model("a"), List.of()),
        Arguments.of(MODEL, model("a"), null, List.of(EventType.EVENT_TYPE_MODEL_DELETED)),
        Arguments.of(MODEL, null, null, List.of()),
        Arguments.of(
            VERSION, null, version(draft, ""), List.of(EventType.EVENT_TYPE_VERSION_UPLOADED)),
        Arguments.of(
            VERSION,
            version(draft, ""),
            version(published, ""),
            List.of(EventType.EVENT_TYPE_VERSION_STAGE_CHANGED)),
        Arguments.of(
            VERSION,
            version(draft, ""),
            version(draft, "notes"),
            List.of(EventType.EVENT_TYPE_VERSION_UPDATED)),
        Arguments.of(VERSION, version(draft, ""), version(draft, ""), List.of()),
        Arguments.of(
            VERSION, version(draft, ""), null, List.of(EventType.EVENT_TYPE_VERSION_DELETED)),
        Arguments.of(ALIAS, null, alias("1.0.0"), List.of(EventType.EVENT_TYPE_ALIAS_MOVED)),
        Arguments.of(
            ALIAS, alias("1.0.0"), alias("2.0.0"), List.of(EventType.EVENT_TYPE_ALIAS_MOVED)),
        Arguments.of(ALIAS, alias("1.0.0"), alias("1.0.0"), List.of()),
        Arguments.of(ALIAS, alias("1.0.0"), null, List.of(EventType.EVENT_TYPE_ALIAS_DELETED)),
        Arguments.of(KEY, null, apiKey(false), List.of()),
        Arguments.of(KEY, apiKey(false), apiKey(false), List.of()),
        Arguments.of(KEY, apiKey(false), apiKey(true), List.of(EventType.EVENT_TYPE_KEY_REVOKED)),
        Arguments.of(KEY, apiKey(true), apiKey(true), List.of()),
        Arguments.of(KEY, apiKey(false), null, List.of(EventType.EVENT_TYPE_KEY_REVOKED)),
        Arguments.of(KEY, apiKey(true), null, List.of()),
        Arguments.of(KEY, null, apiKey(true), List.of()));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @MethodSource("changes")
  void eachChangeMeansItsEvents(
      String key, MessageLite before, MessageLite after, List<EventType> expected) {
    List<Event> events = DERIVATION.derive(new StoredChange(key, 7, bytes(before), bytes(after)));

    assertThat(events).extracting(Event::getType).isEqualTo(expected);
    assertThat(events).allSatisfy(e -> assertThat(e.getRevision()).isEqualTo(7));
    assertThat(DERIVATION.owns(key)).isTrue();
  }

  @Test
  void stageChangesNameBothStagesAndCarryTheNewRecord() {
    ModelVersion published = version(Stage.STAGE_PUBLISHED, "");
    Event event =
        DERIVATION
            .derive(
                new StoredChange(
                    VERSION, 9, bytes(version(Stage.STAGE_DRAFT, "")), bytes(published)))
            .get(0);

    assertThat(event.getModel()).isEqualTo("m");
    assertThat(event.getVersion()).isEqualTo("1.0.0");
    assertThat(event.getFromStage()).isEqualTo(Stage.STAGE_DRAFT);
    assertThat(event.getToStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(event.getVersionRecord()).isEqualTo(published.toBuilder().setRevision(9).build());
  }

  @Test
  void keysOfUnknownFamiliesAndNestedKeysProduceNothing() {
    List<String> ignored =
        List.of(
            "/agora/v1/audit/00000000000000000007",
            "/agora/v1/artifacts/ab/refs/m/1.0.0",
            "/agora/v1/teams/risk",
            "/agora/v1/models/m/aliases/stable/history/1",
            "/agora/v1/models/m/versions/1.0.0/comparison",
            "/agora/v1/models/m/versions/",
            "/agora/v1/models/",
            "/agora/v1/keys/k1/usage",
            "/agora/v1/keys/");
    for (String key : ignored) {
      assertThat(DERIVATION.owns(key)).as(key).isFalse();
      assertThat(DERIVATION.derive(new StoredChange(key, 3, null, new byte[] {1}))).isEmpty();
    }
  }

  @Test
  void anUnreadableRecordIsSkippedRatherThanStoppingTheFeed() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};

    assertThat(DERIVATION.derive(new StoredChange(VERSION, 4, null, garbage))).isEmpty();
    assertThat(DERIVATION.derive(new StoredChange(MODEL, 5, null, bytes(model("ok"))))).hasSize(1);
  }

  @Test
  void everyFamilyPrefixIsLoadedOnce() {
    assertThat(DERIVATION.scanPrefixes()).containsExactly("/agora/v1/models/", "/agora/v1/keys/");
  }
}
