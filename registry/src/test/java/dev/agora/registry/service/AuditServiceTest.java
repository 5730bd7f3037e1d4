package dev.agora.registry.service;

import static dev.agora.registry.service.AliasServiceTest.timestamp;
import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.AuditEvent;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.DeleteAliasRequest;
import dev.agora.proto.registry.v1.DeleteVersionRequest;
import dev.agora.proto.registry.v1.ListAuditEventsRequest;
import dev.agora.proto.registry.v1.ListAuditEventsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelCard;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.SetAliasRequest;
import dev.agora.proto.registry.v1.UpdateModelRequest;
import dev.agora.proto.registry.v1.UpdateVersionMetadataRequest;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log after a scripted sequence of changes, queried by model, team, time and page. */
class AuditServiceTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dataDir;
  private RegistryHarness registry;
  private Model fraud;
  private ModelVersion draft;
  private ModelVersion published;

  @BeforeEach
  void start() throws Exception {
    registry = RegistryHarness.start(RegistryConfig.defaults(dataDir), new MutableClock(T0));
    registry.ensureTeam("risk");
    registry.ensureTeam("growth");
    script();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Instant hour(int hours) {
    Instant target = T0.plus(Duration.ofHours(hours));
    registry.clock.advance(Duration.between(registry.clock.instant(), target));
    return target;
  }

  /** Twelve audited changes by five people, one per hour, and two refused ones. */
  private void script() {
    hour(1);
    fraud = create("alice", "fraud", "risk");
    hour(2);
    create("bob", "churn", "growth");
    hour(3);
    draft = registry.uploadAs("alice", "fraud", "1.0.0", TestModels.mlp());
    hour(4);
    published =
        registry
            .as("carol")
            .publishVersion(
                PublishVersionRequest.newBuilder().setModel("fraud").setVersion("1.0.0").build());
    hour(5);
    updateModel("alice", Model.newBuilder().setName("fraud").setDescription("Scores fraud."));
    hour(6);
    registry.uploadAs("bob", "churn", "1.0.0", TestModels.mlp());
    hour(7);
    registry.uploadAs("alice", "fraud", "1.1.0", Artifacts.mlpVariant("1.1.0"));
    hour(8);
    registry
        .as("alice")
        .updateVersionMetadata(
            UpdateVersionMetadataRequest.newBuilder()
                .setVersion(
                    ModelVersion.newBuilder()
                        .setModel("fraud")
                        .setVersion("1.1.0")
                        .setCard(ModelCard.newBuilder().setPurpose("Flag fraud.")))
                .build());
    hour(9);
    registry
        .as("alice")
        .deleteVersion(
            DeleteVersionRequest.newBuilder().setModel("fraud").setVersion("1.1.0").build());
    hour(10);
    registry
        .aliasesAs("dave")
        .setAlias(
            SetAliasRequest.newBuilder()
                .setModel("fraud")
                .setAlias("stable")
                .setVersion("1.0.0")
                .build());
    hour(11);
    registry
        .aliasesAs("dave")
        .deleteAlias(DeleteAliasRequest.newBuilder().setModel("fraud").setAlias("stable").build());
    hour(12);
    updateModel("erin", Model.newBuilder().setName("fraud").setOwnerTeam("growth"));
    hour(13);
    assertFailure(
        () -> updateModel("erin", Model.newBuilder().setName("fraud").addTags("Not A Tag")),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_FIELD");
    assertFailure(
        () ->
            registry
                .as("erin")
                .publishVersion(
                    PublishVersionRequest.newBuilder()
                        .setModel("fraud")
                        .setVersion("9.0.0")
                        .build()),
        Status.Code.NOT_FOUND,
        "VERSION_NOT_FOUND");
  }

  private Model create(String caller, String name, String team) {
    return registry
        .as(caller)
        .createModel(
            CreateModelRequest.newBuilder()
                .setModel(Model.newBuilder().setName(name).setOwnerTeam(team))
                .build());
  }

  private Model updateModel(String caller, Model.Builder model) {
    return registry.as(caller).updateModel(UpdateModelRequest.newBuilder().setModel(model).build());
  }

  private List<AuditEvent> list(ListAuditEventsRequest.Builder query) {
    List<AuditEvent> events = new ArrayList<>();
    String token = "";
    do {
      ListAuditEventsResponse page =
          registry.audit().listAuditEvents(query.setPageToken(token).build());
      if (query.getPageSize() > 0) {
        assertThat(page.getEventsCount()).isLessThanOrEqualTo(query.getPageSize());
      }
      events.addAll(page.getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return events;
  }

  @Test
  void byModelNewestFirstWithWhoWhatAndWhen() {
    List<AuditEvent> events = list(ListAuditEventsRequest.newBuilder().setModel("fraud"));

    assertThat(events)
        .extracting(AuditEvent::getAction, AuditEvent::getActor, AuditEvent::getVersion)
        .containsExactly(
            tuple(AuditAction.AUDIT_ACTION_MODEL_UPDATED, "erin", ""),
            tuple(AuditAction.AUDIT_ACTION_ALIAS_DELETED, "dave", "1.0.0"),
            tuple(AuditAction.AUDIT_ACTION_ALIAS_SET, "dave", "1.0.0"),
            tuple(AuditAction.AUDIT_ACTION_VERSION_DELETED, "alice", "1.1.0"),
            tuple(AuditAction.AUDIT_ACTION_VERSION_METADATA_UPDATED, "alice", "1.1.0"),
            tuple(AuditAction.AUDIT_ACTION_VERSION_UPLOADED, "alice", "1.1.0"),
            tuple(AuditAction.AUDIT_ACTION_MODEL_UPDATED, "alice", ""),
            tuple(AuditAction.AUDIT_ACTION_VERSION_PUBLISHED, "carol", "1.0.0"),
            tuple(AuditAction.AUDIT_ACTION_VERSION_UPLOADED, "alice", "1.0.0"),
            tuple(AuditAction.AUDIT_ACTION_MODEL_CREATED, "alice", ""));
    assertThat(events)
        .extracting(AuditEvent::getTime)
        .containsExactly(
            timestamp(T0.plus(Duration.ofHours(12))),
            timestamp(T0.plus(Duration.ofHours(11))),
            timestamp(T0.plus(Duration.ofHours(10))),
            timestamp(T0.plus(Duration.ofHours(9))),
            timestamp(T0.plus(Duration.ofHours(8))),
            timestamp(T0.plus(Duration.ofHours(7))),
            timestamp(T0.plus(Duration.ofHours(5))),
            timestamp(T0.plus(Duration.ofHours(4))),
            timestamp(T0.plus(Duration.ofHours(3))),
            timestamp(T0.plus(Duration.ofHours(1))));
    assertThat(events.get(2).getAlias()).isEqualTo("stable");
    assertThat(events.get(2).getSummary()).isEqualTo("alias `stable` created → 1.0.0");
    assertThat(events.get(0).getSummary()).isEqualTo("updated owner_team");
    assertThat(events.get(0).getTeam()).isEqualTo("growth");
    assertThat(events.get(0).getPreviousTeam()).isEqualTo("risk");
  }

  @Test
  void revisionsBeforeAndAfterMatchTheRecordsTheChangesReturned() {
    List<AuditEvent> events = list(ListAuditEventsRequest.newBuilder().setModel("fraud"));
    AuditEvent created = events.get(events.size() - 1);
    AuditEvent uploaded = events.get(events.size() - 2);
    AuditEvent publishing = events.get(events.size() - 3);

    assertThat(created.getRevisionBefore()).isZero();
    assertThat(created.getRevisionAfter()).isEqualTo(fraud.getRevision());
    assertThat(uploaded.getRevisionAfter()).isEqualTo(draft.getRevision());
    assertThat(publishing.getRevisionBefore()).isEqualTo(draft.getRevision());
    assertThat(publishing.getRevisionAfter()).isEqualTo(published.getRevision());
    assertThat(events).extracting(AuditEvent::getId).doesNotHaveDuplicates();
  }

  @Test
  void byTeamFollowsTheOwnerAtTheTimeOfEachEvent() {
    List<AuditEvent> risk = list(ListAuditEventsRequest.newBuilder().setTeam("risk"));
    assertThat(risk).hasSize(10).allMatch(event -> event.getModel().equals("fraud"));

    assertThat(list(ListAuditEventsRequest.newBuilder().setTeam("growth")))
        .extracting(AuditEvent::getModel, AuditEvent::getAction)
        .containsExactly(
            tuple("fraud", AuditAction.AUDIT_ACTION_MODEL_UPDATED),
            tuple("churn", AuditAction.AUDIT_ACTION_VERSION_UPLOADED),
            tuple("churn", AuditAction.AUDIT_ACTION_MODEL_CREATED));
    assertThat(list(ListAuditEventsRequest.newBuilder().setModel("fraud").setTeam("growth")))
        .extracting(AuditEvent::getActor)
        .containsExactly("erin");
  }

  @Test
  void byTimeRangeStartInclusiveEndExclusive() {
    ListAuditEventsRequest.Builder range =
        ListAuditEventsRequest.newBuilder()
            .setStartTime(timestamp(T0.plus(Duration.ofHours(4))))
            .setEndTime(timestamp(T0.plus(Duration.ofHours(9))));
    assertThat(list(range))
        .extracting(AuditEvent::getModel, AuditEvent::getAction)
        .containsExactly(
            tuple("fraud", AuditAction.AUDIT_ACTION_VERSION_METADATA_UPDATED),
            tuple("fraud", AuditAction.AUDIT_ACTION_VERSION_UPLOADED),
            tuple("churn", AuditAction.AUDIT_ACTION_VERSION_UPLOADED),
            tuple("fraud", AuditAction.AUDIT_ACTION_MODEL_UPDATED),
            tuple("fraud", AuditAction.AUDIT_ACTION_VERSION_PUBLISHED));
    assertThat(list(range.clone().setModel("fraud"))).hasSize(4);
    assertThat(list(range.clone().setTeam("growth")))
        .extracting(AuditEvent::getModel)
        .containsExactly("churn");
  }

  @Test
  void everyEventOncePageByPageAndRefusedChangesLeaveNoEvent() {
    List<AuditEvent> all = list(ListAuditEventsRequest.newBuilder());
    assertThat(all).hasSize(12);
    assertThat(list(ListAuditEventsRequest.newBuilder().setPageSize(5))).isEqualTo(all);
    assertThat(list(ListAuditEventsRequest.newBuilder().setPageSize(1))).isEqualTo(all);
    assertThat(all.get(0).getTime()).isEqualTo(timestamp(T0.plus(Duration.ofHours(12))));
  }

  @Test
  void malformedQueriesAreRefusedNamingTheField() {
    assertThat(
            StatusDetails.violatedFields(
                assertFailure(
                    () ->
                        registry
                            .audit()
                            .listAuditEvents(
                                ListAuditEventsRequest.newBuilder()
                                    .setStartTime(timestamp(T0.plusSeconds(10)))
                                    .setEndTime(timestamp(T0))
                                    .build()),
                    Status.Code.INVALID_ARGUMENT,
                    "INVALID_FIELD")))
        .containsExactly("end_time");
    assertThat(
            StatusDetails.violatedFields(
                assertFailure(
                    () ->
                        registry
                            .audit()
                            .listAuditEvents(
                                ListAuditEventsRequest.newBuilder().setPageToken("bm9wZQ").build()),
                    Status.Code.INVALID_ARGUMENT,
                    "INVALID_FIELD")))
        .containsExactly("page_token");
    assertThat(
            StatusDetails.violatedFields(
                assertFailure(
                    () ->
                        registry
                            .audit()
                            .listAuditEvents(
                                ListAuditEventsRequest.newBuilder().setTeam("Risk Team").build()),
                    Status.Code.INVALID_ARGUMENT,
                    "INVALID_FIELD")))
        .containsExactly("team");

    assertThat(list(ListAuditEventsRequest.newBuilder().setModel("churn"))).hasSize(2);
  }

  @Test
  void anUnknownModelHasNoEvents() {
    assertThat(list(ListAuditEventsRequest.newBuilder().setModel("nobody"))).isEmpty();
    assertThat(
            list(
                ListAuditEventsRequest.newBuilder()
                    .setModel("fraud")
                    .setEndTime(timestamp(T0.plus(Duration.ofHours(1))))))
        .isEmpty();
  }
}
