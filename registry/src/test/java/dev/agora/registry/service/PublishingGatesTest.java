package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.PreconditionFailure;
import dev.agora.proto.registry.v1.EvaluationResult;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RiskLevel;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gates of ApproveVersion, each alone, all together, and the low-risk fast path. */
class PublishingGatesTest {
  @TempDir Path dataDir;
  private RegistryHarness registry;
  private Governance governance;

  /** One way to break exactly one gate, applied to otherwise complete metadata. */
  record Breakage(
      String gate, RiskLevel risk, String approver, UnaryOperator<ModelVersion.Builder> change) {
    @Override
    public String toString() {
      return gate;
    }
  }

  static Stream<Arguments> eachGateAlone() {
    return Stream.of(
            new Breakage(
                "GATE_MODEL_CARD_INCOMPLETE",
                RiskLevel.RISK_LEVEL_LOW,
                Governance.REVIEWER,
                v -> v.setCard(Governance.CARD.toBuilder().clearLimitations())),
            new Breakage(
                "GATE_MODEL_CARD_INCOMPLETE",
                RiskLevel.RISK_LEVEL_LOW,
                Governance.REVIEWER,
                v -> v.setCard(Governance.CARD.toBuilder().setOutOfScopeUses("   "))),
            new Breakage(
                "GATE_EVALUATION_MISSING",
                RiskLevel.RISK_LEVEL_LOW,
                Governance.REVIEWER,
                ModelVersion.Builder::clearEvaluations),
            new Breakage(
                "GATE_EVALUATION_BELOW_THRESHOLD",
                RiskLevel.RISK_LEVEL_LOW,
                Governance.REVIEWER,
                v -> v.setEvaluations(0, Governance.AUC.toBuilder().setValue(0.84))),
            new Breakage(
                "GATE_EVALUATION_BELOW_THRESHOLD",
                RiskLevel.RISK_LEVEL_LOW,
                Governance.REVIEWER,
                v -> v.addEvaluations(rmse(0.31, 0.30))),
            new Breakage(
                "GATE_FAIRNESS_REPORT_MISSING",
                RiskLevel.RISK_LEVEL_HIGH,
                Governance.REVIEWER,
                ModelVersion.Builder::clearFairness),
            new Breakage(
                "GATE_REVIEWER_IS_PUBLISHER",
                RiskLevel.RISK_LEVEL_LOW,
                RegistryHarness.ADMIN,
                UnaryOperator.identity()))
        .map(Arguments::of);
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("eachGateAlone")
  void eachFailingGateIsReportedByName(Breakage breakage) {
    registry.createModel("gated");
    governance.setRisk("gated", breakage.risk());
    registry.upload("gated", "1.0.0", TestModels.mlp());
    ModelVersion values =
        breakage.change().apply(Governance.complete("gated", "1.0.0").toBuilder()).build();
    governance.updateMetadata(RegistryHarness.ADMIN, values, "card", "evaluations", "fairness");
    governance.submit(RegistryHarness.ADMIN, "gated", "1.0.0");

    StatusRuntimeException refused =
        assertFailure(
            () -> governance.approve(breakage.approver(), "gated", "1.0.0"),
            Status.Code.FAILED_PRECONDITION,
            "GOVERNANCE_GATE_FAILED");
    PreconditionFailure failure = StatusDetails.preconditionFailure(refused).orElseThrow();
    assertThat(failure.getViolationsList())
        .singleElement()
        .satisfies(v -> assertThat(v.getType()).isEqualTo(breakage.gate()));
    assertThat(registry.getVersion("gated", "1.0.0").getStage()).isEqualTo(Stage.STAGE_IN_REVIEW);

    governance.completeDraft("gated", "1.1.0", TestModels.mlp());
    governance.submit(RegistryHarness.ADMIN, "gated", "1.1.0");
    assertThat(governance.approve(Governance.REVIEWER, "gated", "1.1.0").getStage())
        .isEqualTo(Stage.STAGE_PUBLISHED);
  }

  @Test
  void everyFailingGateIsReportedTogether() {
    registry.createModel("risky");
    governance.setRisk("risky", RiskLevel.RISK_LEVEL_HIGH);
    registry.upload("risky", "1.0.0", TestModels.mlp());
    governance.updateMetadata(
        RegistryHarness.ADMIN,
        ModelVersion.newBuilder()
            .setModel("risky")
            .setVersion("1.0.0")
            .addEvaluations(Governance.AUC.toBuilder().setValue(0.5))
            .addEvaluations(rmse(0.5, 0.3))
            .build(),
        "evaluations");
    governance.submit(RegistryHarness.ADMIN, "risky", "1.0.0");

    StatusRuntimeException refused =
        assertFailure(
            () -> governance.approve(RegistryHarness.ADMIN, "risky", "1.0.0"),
            Status.Code.FAILED_PRECONDITION,
            "GOVERNANCE_GATE_FAILED");
    assertThat(StatusDetails.preconditionFailure(refused).orElseThrow().getViolationsList())
        .extracting(PreconditionFailure.Violation::getType)
        .containsExactly(
            "GATE_MODEL_CARD_INCOMPLETE",
            "GATE_EVALUATION_BELOW_THRESHOLD",
            "GATE_EVALUATION_BELOW_THRESHOLD",
            "GATE_FAIRNESS_REPORT_MISSING",
            "GATE_REVIEWER_IS_PUBLISHER");
    assertThat(refused.getStatus().getDescription())
        .contains("purpose", "auc on holdout", "rmse on holdout", "fairness report");

    governance.reject("risky", "1.0.0", "see the gates");
    governance.reopen("risky", "1.0.0");
    governance.updateMetadata(
        RegistryHarness.ADMIN,
        Governance.complete("risky", "1.0.0"),
        "card",
        "evaluations",
        "fairness");
    governance.submit(RegistryHarness.ADMIN, "risky", "1.0.0");
    assertThat(governance.approve(Governance.REVIEWER, "risky", "1.0.0").getStage())
        .isEqualTo(Stage.STAGE_PUBLISHED);
  }

  @Test
  void thresholdsAreInclusiveAndRespectTheirDirection() {
    registry.createModel("edges");
    registry.upload("edges", "1.0.0", TestModels.mlp());
    governance.updateMetadata(
        RegistryHarness.ADMIN,
        Governance.complete("edges", "1.0.0").toBuilder()
            .setEvaluations(0, Governance.AUC.toBuilder().setValue(0.85))
            .addEvaluations(rmse(0.30, 0.30))
            .addEvaluations(rmse(0.10, 0.30).toBuilder().setDataset("canary"))
            .addEvaluations(
                Governance.AUC.toBuilder()
                    .setDataset("no-threshold")
                    .clearThreshold()
                    .clearHigherIsBetter()
                    .setValue(0.1))
            .build(),
        "card",
        "evaluations");
    governance.submit(RegistryHarness.ADMIN, "edges", "1.0.0");

    assertThat(governance.approve(Governance.REVIEWER, "edges", "1.0.0").getStage())
        .isEqualTo(Stage.STAGE_PUBLISHED);
  }

  @Test
  void directPublishingIsOnlyForLowOrUnspecifiedRisk() {
    for (RiskLevel risk :
        new RiskLevel[] {RiskLevel.RISK_LEVEL_MEDIUM, RiskLevel.RISK_LEVEL_HIGH}) {
      String model = "m-" + risk.getNumber();
      registry.createModel(model);
      governance.setRisk(model, risk);
      registry.upload(model, "1.0.0", TestModels.mlp());
      StatusRuntimeException refused =
          assertFailure(
              () -> registry.publish(model, "1.0.0"),
              Status.Code.FAILED_PRECONDITION,
              "LIFECYCLE_VIOLATION");
      assertThat(refused.getStatus().getDescription())
          .contains("SubmitForReview", "ApproveVersion");
      assertThat(StatusDetails.preconditionFailure(refused).orElseThrow().getViolationsList())
          .singleElement()
          .satisfies(v -> assertThat(v.getType()).isEqualTo("LIFECYCLE_FAST_PATH"));
      assertThat(registry.getVersion(model, "1.0.0").getStage()).isEqualTo(Stage.STAGE_DRAFT);
    }
    registry.createModel("low");
    governance.setRisk("low", RiskLevel.RISK_LEVEL_LOW);
    registry.upload("low", "1.0.0", TestModels.mlp());
    assertThat(registry.publish("low", "1.0.0").getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    registry.createModel("unspecified");
    registry.upload("unspecified", "1.0.0", TestModels.mlp());
    assertThat(registry.publish("unspecified", "1.0.0").getStage())
        .isEqualTo(Stage.STAGE_PUBLISHED);
  }

  private static EvaluationResult rmse(double value, double maximum) {
    return EvaluationResult.newBuilder()
        .setMetric("rmse")
        .setValue(value)
        .setDataset("holdout")
        .setEvaluator("eval-pipeline")
        .setThreshold(maximum)
        .setHigherIsBetter(false)
        .build();
  }
}
