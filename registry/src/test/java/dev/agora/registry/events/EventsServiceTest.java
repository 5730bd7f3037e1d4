package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.registry.catalog.CatalogKeys;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The change feed over the real registry: typed events, order, resumption, filters. */
class EventsServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

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

  /** Create, upload, publish, update the model, deprecate: what a follower sees, in order. */
  private List<Event> runScript(EventRecorder watch) throws Exception {
    await().atMost(WAIT).until(() -> !watch.all().isEmpty());
    Model created = registry.createModel("fraud");
    ModelVersion uploaded = registry.upload("fraud", "1.0.0");
    ModelVersion published = registry.publish("fraud", "1.0.0");
    long updated =
        registry.put(
            CatalogKeys.model("fraud"),
            created.toBuilder()
                .setLatestPublishedVersion("1.0.0")
                .setSummary("scores card payments")
                .clearRevision()
                .build());
    long deprecated =
        registry.put(
            CatalogKeys.version("fraud", "1.0.0"),
            published.toBuilder().setStage(Stage.STAGE_DEPRECATED).clearRevision().build());
    await().atMost(WAIT).until(() -> watch.changes().size() == 6);
    List<Event> events = watch.changes();
    assertThat(events)
        .extracting(Event::getRevision)
        .containsExactly(
            created.getRevision(),
            uploaded.getRevision(),
            published.getRevision(),
            published.getRevision(),
            updated,
            deprecated);
    return events;
  }

  @Test
  void aScriptedSequenceStreamsTypedEventsInRevisionOrder() throws Exception {
    long before = registry.store().currentRevision();
    EventRecorder watch = registry.watchFrom(0);

    List<Event> events = runScript(watch);

    assertThat(watch.all().get(0).getType()).isEqualTo(EventType.EVENT_TYPE_PROGRESS);
    assertThat(watch.all().get(0).getRevision()).isEqualTo(before);
    assertThat(events)
        .extracting(Event::getType)
        .containsExactly(
            EventType.EVENT_TYPE_MODEL_CREATED,
            EventType.EVENT_TYPE_VERSION_UPLOADED,
            EventType.EVENT_TYPE_VERSION_STAGE_CHANGED,
            EventType.EVENT_TYPE_MODEL_UPDATED,
            EventType.EVENT_TYPE_MODEL_UPDATED,
            EventType.EVENT_TYPE_VERSION_STAGE_CHANGED);
    assertThat(events).allSatisfy(e -> assertThat(e.getModel()).isEqualTo("fraud"));
    assertThat(events.get(0).getModelRecord().getRevision()).isEqualTo(events.get(0).getRevision());
    Event uploaded = events.get(1);
    assertThat(uploaded.getVersion()).isEqualTo("1.0.0");
    assertThat(uploaded.getToStage()).isEqualTo(Stage.STAGE_DRAFT);
    assertThat(uploaded.getVersionRecord().getArtifact().getSha256()).hasSize(64);
    Event publish = events.get(2);
    assertThat(publish.getFromStage()).isEqualTo(Stage.STAGE_DRAFT);
    assertThat(publish.getToStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(publish.getVersionRecord().getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(events.get(3).getModelRecord().getLatestPublishedVersion()).isEqualTo("1.0.0");
    assertThat(events.get(4).getModelRecord().getSummary()).isEqualTo("scores card payments");
    Event deprecation = events.get(5);
    assertThat(deprecation.getFromStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(deprecation.getToStage()).isEqualTo(Stage.STAGE_DEPRECATED);
    assertThat(watch.ended()).isFalse();
  }

  @Test
  void resumingFromAMidRevisionYieldsExactlyTheRest() throws Exception {
    List<Event> all = runScript(registry.watchFrom(0));

    for (Event from : all) {
      EventRecorder resumed = registry.watchFrom(from.getRevision());
      List<Event> expected =
          all.stream().filter(e -> e.getRevision() >= from.getRevision()).toList();
      await().atMost(WAIT).until(() -> resumed.changes().size() >= expected.size());
      assertThat(resumed.changes()).isEqualTo(expected);
      assertThat(resumed.all().get(0))
          .isEqualTo(
              Event.newBuilder()
                  .setType(EventType.EVENT_TYPE_PROGRESS)
                  .setRevision(from.getRevision() - 1)
                  .build());
      resumed.cancel();
    }
    long last = all.get(all.size() - 1).getRevision();
    EventRecorder caughtUp = registry.watchFrom(last + 1);
    registry.createModel("later");
    await().atMost(WAIT).until(() -> !caughtUp.changes().isEmpty());
    assertThat(caughtUp.changes()).extracting(Event::getModel).containsExactly("later");
  }

  @Test
  void filtersSelectModelsAndTypes() throws Exception {
    EventRecorder fraudOnly = registry.watch(WatchRequest.newBuilder().addModels("fraud").build());
    EventRecorder stageChanges =
        registry.watch(
            WatchRequest.newBuilder()
                .addTypes(EventType.EVENT_TYPE_VERSION_STAGE_CHANGED)
                .addTypes(EventType.EVENT_TYPE_VERSION_UPLOADED)
                .build());
    await().atMost(WAIT).until(() -> !fraudOnly.all().isEmpty() && !stageChanges.all().isEmpty());
    registry.createModel("churn");
    registry.upload("churn", "2.0.0");
    EventRecorder everything = registry.watchFrom(0);
    runScript(everything);

    await().atMost(WAIT).until(() -> fraudOnly.changes().size() == 6);
    assertThat(fraudOnly.changes()).isEqualTo(everything.changes());
    await().atMost(WAIT).until(() -> stageChanges.changes().size() == 4);
    assertThat(stageChanges.changes())
        .extracting(Event::getType, Event::getModel)
        .containsExactly(
            Tuple.tuple(EventType.EVENT_TYPE_VERSION_UPLOADED, "churn"),
            Tuple.tuple(EventType.EVENT_TYPE_VERSION_UPLOADED, "fraud"),
            Tuple.tuple(EventType.EVENT_TYPE_VERSION_STAGE_CHANGED, "fraud"),
            Tuple.tuple(EventType.EVENT_TYPE_VERSION_STAGE_CHANGED, "fraud"));
  }

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        Arguments.of(WatchRequest.newBuilder().setFromRevision(-1).build(), "from_revision"),
        Arguments.of(WatchRequest.newBuilder().addModels("Not A Name").build(), "models[0]"),
        Arguments.of(WatchRequest.newBuilder().addModels("ok").addModels("").build(), "models[1]"),
        Arguments.of(
            WatchRequest.newBuilder().addTypes(EventType.EVENT_TYPE_UNSPECIFIED).build(),
            "types[0]"),
        Arguments.of(
            WatchRequest.newBuilder()
                .addTypes(EventType.EVENT_TYPE_MODEL_CREATED)
                .addTypesValue(99)
                .build(),
            "types[1]"));
  }

  @ParameterizedTest
  @MethodSource("malformedRequests")
  void malformedRequestsAreRefusedNamingTheField(WatchRequest request, String field)
      throws Exception {
    EventRecorder refused = registry.watch(request);

    await().atMost(WAIT).until(refused::ended);
    assertThat(refused.failure().getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.errorInfo().getReason()).isEqualTo("INVALID_FIELD");
    assertThat(refused.failure().getStatus().getDescription()).startsWith(field + ":");
    assertThat(registry.feed().activeWatches()).isZero();

    EventRecorder good = registry.watchFrom(0);
    await().atMost(WAIT).until(() -> !good.all().isEmpty());
    registry.createModel("after-refusal");
    await().atMost(WAIT).until(() -> good.changes().size() == 1);
    assertThat(good.changes().get(0).getType()).isEqualTo(EventType.EVENT_TYPE_MODEL_CREATED);
  }
}
