package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.ListAuditEventsRequest;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every lifecycle RPC from every stage: the legal transitions move, the rest are refused. */
class GovernedLifecycleTest {
  @TempDir Path dataDir;
  private RegistryHarness registry;
  private Governance governance;

  /** A lifecycle RPC, the stages it starts from and the stage it ends in. */
  enum Call {
    SUBMIT(Set.of(Stage.STAGE_DRAFT), Stage.STAGE_IN_REVIEW),
    APPROVE(Set.of(Stage.STAGE_IN_REVIEW), Stage.STAGE_PUBLISHED),
    REJECT(Set.of(Stage.STAGE_IN_REVIEW), Stage.STAGE_REJECTED),
    REOPEN(Set.of(Stage.STAGE_REJECTED), Stage.STAGE_DRAFT),
    DEPRECATE(Set.of(Stage.STAGE_PUBLISHED), Stage.STAGE_DEPRECATED),
    RETIRE(Set.of(Stage.STAGE_PUBLISHED, Stage.STAGE_DEPRECATED), Stage.STAGE_RETIRED);

    final Set<Stage> from;
    final Stage to;

    Call(Set<Stage> from, Stage to) {
      this.from = from;
      this.to = to;
    }

    ModelVersion invoke(Governance governance, Instant now, String model, String version) {
      return switch (this) {
        case SUBMIT -> governance.submit(RegistryHarness.ADMIN, model, version);
        case APPROVE -> governance.approve(Governance.REVIEWER, model, version);
        case REJECT -> governance.reject(model, version, "the card overstates recall");
        case REOPEN -> governance.reopen(model, version);
        case DEPRECATE -> governance.deprecate(model, version, now.plus(Duration.ofDays(30)), "");
        case RETIRE -> governance.retire(model, version);
      };
    }
  }

  static List<Arguments> everyCallFromEveryStage() {
    List<Arguments> cases = new ArrayList<>();
    Set<Stage> stages =
        EnumSet.complementOf(EnumSet.of(Stage.STAGE_UNSPECIFIED, Stage.UNRECOGNIZED));
    for (Call call : Call.values()) {
      for (Stage stage : stages) {
        cases.add(Arguments.of(call, stage));
      }
    }
    return cases;
  }

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    governance = new Governance(registry);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @ParameterizedTest(name = "{0} from {1}")
  @MethodSource("everyCallFromEveryStage")
  void everyTransitionIsAllowedOnlyFromItsStages(Call call, Stage stage) {
    registry.createModel("gated");
    governance.completeDraft("gated", "1.0.0", TestModels.mlp());
    governance.force("gated", "1.0.0", stage);

    if (call.from.contains(stage)) {
      ModelVersion moved = call.invoke(governance, registry.clock.instant(), "gated", "1.0.0");
      assertThat(moved.getStage()).isEqualTo(call.to);
      assertThat(registry.getVersion("gated", "1.0.0").getStage()).isEqualTo(call.to);
    } else {
      StatusRuntimeException refused =
          assertFailure(
              () -> call.invoke(governance, registry.clock.instant(), "gated", "1.0.0"),
              Status.Code.FAILED_PRECONDITION,
              "LIFECYCLE_VIOLATION");
      assertThat(StatusDetails.preconditionFailure(refused).orElseThrow().getViolationsList())
          .singleElement()
          .satisfies(
              violation -> {
                assertThat(violation.getType()).isEqualTo("LIFECYCLE_" + call.name());
                assertThat(violation.getSubject()).isEqualTo("models/gated/versions/1.0.0");
                assertThat(violation.getDescription()).contains(stage.name().substring(6));
              });
      assertThat(registry.getVersion("gated", "1.0.0").getStage()).isEqualTo(stage);
    }

    governance.completeDraft("gated", "1.1.0", TestModels.mlp());
    assertThat(governance.submit(RegistryHarness.ADMIN, "gated", "1.1.0").getStage())
        .isEqualTo(Stage.STAGE_IN_REVIEW);
  }

  @Test
  void aVersionGoesThroughTheWholeLifecycleWithAnAuditTrail() {
    registry.createModel("scorer");
    governance.completeDraft("scorer", "1.0.0", TestModels.mlp());
    governance.submit(RegistryHarness.ADMIN, "scorer", "1.0.0");
    ModelVersion rejected = governance.reject("scorer", "1.0.0", "needs a fairness review");
    assertThat(rejected.getReviewer()).isEqualTo(Governance.REVIEWER);
    assertThat(rejected.getReviewComment()).isEqualTo("needs a fairness review");
    assertThat(governance.reopen("scorer", "1.0.0").getReviewer()).isEmpty();
    governance.submit(RegistryHarness.ADMIN, "scorer", "1.0.0");
    ModelVersion published = governance.approve(Governance.REVIEWER, "scorer", "1.0.0");
    assertThat(published.getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(published.getReviewComment()).isEqualTo("looks good");
    assertThat(published.hasPublishTime()).isTrue();
    assertThat(registry.blocking().getModel(model("scorer")).getLatestPublishedVersion())
        .isEqualTo("1.0.0");

    governance.completeDraft("scorer", "1.1.0", TestModels.mlp());
    governance.submit(RegistryHarness.ADMIN, "scorer", "1.1.0");
    governance.approve(Governance.REVIEWER, "scorer", "1.1.0");
    Instant sunset = registry.clock.instant().plus(Duration.ofDays(45));
    ModelVersion deprecated = governance.deprecate("scorer", "1.0.0", sunset, "1.1.0");
    assertThat(deprecated.getSuccessorVersion()).isEqualTo("1.1.0");
    assertThat(deprecated.getSunsetTime().getSeconds()).isEqualTo(sunset.getEpochSecond());
    governance.retire("scorer", "1.1.0");
    assertThat(registry.blocking().getModel(model("scorer")).getLatestPublishedVersion())
        .as("retiring the latest falls back to the deprecated 1.0.0, which still serves")
        .isEqualTo("1.0.0");

    List<String> summaries =
        registry
            .audit()
            .listAuditEvents(ListAuditEventsRequest.newBuilder().setModel("scorer").build())
            .getEventsList()
            .stream()
            .filter(e -> e.getAction() == AuditAction.AUDIT_ACTION_VERSION_STAGE_CHANGED)
            .map(e -> e.getActor() + ": " + e.getSummary())
            .toList();
    assertThat(summaries)
        .contains(
            Governance.REVIEWER + ": rejected 1.0.0 (IN_REVIEW → REJECTED)",
            RegistryHarness.ADMIN + ": retired 1.1.0 (PUBLISHED → RETIRED)");
  }

  @Test
  void publishersAreEveryoneWhoUploadedChangedOrSubmittedTheVersion() {
    registry.createModel("scorer");
    registry.uploadAs("alice", "scorer", "1.0.0", TestModels.mlp());
    governance.updateMetadata("bob", Governance.complete("scorer", "1.0.0"), "card", "evaluations");
    ModelVersion submitted = governance.submit("carol", "scorer", "1.0.0");
    assertThat(submitted.getPublishersList()).containsExactly("alice", "bob", "carol");

    for (String publisher : List.of("alice", "bob", "carol")) {
      StatusRuntimeException refused =
          assertFailure(
              () -> governance.approve(publisher, "scorer", "1.0.0"),
              Status.Code.FAILED_PRECONDITION,
              "GOVERNANCE_GATE_FAILED");
      assertThat(StatusDetails.preconditionFailure(refused).orElseThrow().getViolationsList())
          .singleElement()
          .satisfies(v -> assertThat(v.getType()).isEqualTo("GATE_REVIEWER_IS_PUBLISHER"));
    }
    assertThat(governance.approve("dave", "scorer", "1.0.0").getReviewer()).isEqualTo("dave");
  }

  @Test
  void rejectionNeedsAReason() {
    registry.createModel("scorer");
    governance.completeDraft("scorer", "1.0.0", TestModels.mlp());
    governance.submit(RegistryHarness.ADMIN, "scorer", "1.0.0");
    StatusRuntimeException refused =
        assertFailure(
            () -> governance.reject("scorer", "1.0.0", " "),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(refused)).containsExactly("reason");
    assertThat(governance.reject("scorer", "1.0.0", "no").getStage())
        .isEqualTo(Stage.STAGE_REJECTED);
  }

  private static dev.agora.proto.registry.v1.GetModelRequest model(String name) {
    return dev.agora.proto.registry.v1.GetModelRequest.newBuilder().setName(name).build();
  }
}
