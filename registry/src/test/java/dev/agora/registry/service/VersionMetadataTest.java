package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.rpc.PreconditionFailure;
import dev.agora.proto.registry.v1.EvaluationResult;
import dev.agora.proto.registry.v1.FairnessReport;
import dev.agora.proto.registry.v1.GroupMetric;
import dev.agora.proto.registry.v1.Lineage;
import dev.agora.proto.registry.v1.ModelCard;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.UpdateVersionMetadataRequest;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** UpdateVersionMetadata: card, evaluations, fairness, lineage and changelog while DRAFT. */
class VersionMetadataTest {
  private static final ModelCard CARD =
      ModelCard.newBuilder()
          .setPurpose("Flag fraudulent card payments.")
          .setIntendedUse("Scoring card-not-present transactions.")
          .setOutOfScopeUses("Credit decisions.")
          .setTrainingData("Payments 2024-2025, labelled by chargebacks.")
          .setLimitations("Weaker on new merchants.")
          .setMetrics("AUC and recall at 1% FPR on a time-split holdout.")
          .build();
  private static final EvaluationResult AUC =
      EvaluationResult.newBuilder()
          .setMetric("auc")
          .setValue(0.91)
          .setDataset("holdout-2025-q4")
          .setEvaluator("eval-pipeline")
          .setThreshold(0.85)
          .setHigherIsBetter(true)
          .build();
  private static final FairnessReport FAIRNESS =
      FairnessReport.newBuilder()
          .setSummary("Recall within 3 points across age bands.")
          .addGroups(
              GroupMetric.newBuilder()
                  .setAttribute("age_band")
                  .setGroup("18-25")
                  .setMetric("recall")
                  .setValue(0.81))
          .build();

  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-07-01T00:00:00Z")));
    registry.createModel("payments");
    registry.upload("payments", "1.0.0", TestModels.mlp());
    registry.publish("payments", "1.0.0");
    registry.upload("payments", "1.1.0", Artifacts.mlpVariant("1.1.0"));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private ModelVersion update(String version, ModelVersion.Builder metadata, String... paths) {
    return registry
        .blocking()
        .updateVersionMetadata(
            UpdateVersionMetadataRequest.newBuilder()
                .setVersion(metadata.setModel("payments").setVersion(version))
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths)))
                .build());
  }

  private static Lineage lineage() {
    return Lineage.newBuilder()
        .addDatasets("s3://payments/2025")
        .setParentVersion("1.0.0")
        .setCodeRevision("9f1c2ab")
        .build();
  }

  @Test
  void aDraftTakesItsCardEvaluationsFairnessLineageAndChangelog() {
    ModelVersion before = registry.getVersion("payments", "1.1.0");
    ModelVersion updated =
        update(
            "1.1.0",
            ModelVersion.newBuilder()
                .setCard(CARD)
                .addEvaluations(AUC)
                .setFairness(FAIRNESS)
                .setLineage(lineage())
                .setChangelog("Retrained on Q4."));

    assertThat(updated.getCard()).isEqualTo(CARD);
    assertThat(updated.getEvaluationsList()).containsExactly(AUC);
    assertThat(updated.getFairness()).isEqualTo(FAIRNESS);
    assertThat(updated.getLineage()).isEqualTo(lineage());
    assertThat(updated.getChangelog()).isEqualTo("Retrained on Q4.");
    assertThat(updated.getSignature()).isEqualTo(before.getSignature());
    assertThat(updated.getArtifact()).isEqualTo(before.getArtifact());
    assertThat(updated.getRevision()).isGreaterThan(before.getRevision());
    assertThat(registry.getVersion("payments", "1.1.0")).isEqualTo(updated);

    ModelVersion cleared = update("1.1.0", ModelVersion.newBuilder(), "fairness");
    assertThat(cleared.hasFairness()).isFalse();
    assertThat(cleared.getCard()).isEqualTo(CARD);
  }

  @Test
  void aPublishedVersionIsImmutable() {
    ModelVersion published = registry.getVersion("payments", "1.0.0");
    StatusRuntimeException refused =
        assertFailure(
            () -> update("1.0.0", ModelVersion.newBuilder().setCard(CARD)),
            Status.Code.FAILED_PRECONDITION,
            "LIFECYCLE_VIOLATION");
    PreconditionFailure failure = StatusDetails.preconditionFailure(refused).orElseThrow();
    assertThat(failure.getViolationsList())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.getType()).isEqualTo("LIFECYCLE");
              assertThat(violation.getSubject()).isEqualTo("models/payments/versions/1.0.0");
              assertThat(violation.getDescription()).contains("STAGE_PUBLISHED");
            });
    assertThat(refused.getStatus().getDescription()).contains("immutable");
    assertThat(registry.getVersion("payments", "1.0.0")).isEqualTo(published);

    assertThat(update("1.1.0", ModelVersion.newBuilder().setCard(CARD)).getCard()).isEqualTo(CARD);
  }

  @Test
  void publishingFreezesTheMetadata() {
    update("1.1.0", ModelVersion.newBuilder().setCard(CARD));
    registry.publish("payments", "1.1.0");
    assertFailure(
        () -> update("1.1.0", ModelVersion.newBuilder().setChangelog("later")),
        Status.Code.FAILED_PRECONDITION,
        "LIFECYCLE_VIOLATION");
    assertThat(registry.getVersion("payments", "1.1.0").getCard()).isEqualTo(CARD);
  }

  static Stream<Arguments> invalidMetadata() {
    return Stream.of(
        invalid(
            "evaluation without dataset",
            v -> v.addEvaluations(AUC.toBuilder().clearDataset()),
            "version.evaluations[0].dataset"),
        invalid(
            "evaluation without evaluator",
            v -> v.addEvaluations(AUC.toBuilder().clearEvaluator()),
            "version.evaluations[0].evaluator"),
        invalid(
            "evaluation without metric",
            v -> v.addEvaluations(AUC.toBuilder().clearMetric()),
            "version.evaluations[0].metric"),
        invalid(
            "value not a number",
            v -> v.addEvaluations(AUC.toBuilder().setValue(Double.NaN)),
            "version.evaluations[0].value"),
        invalid(
            "threshold without direction",
            v -> v.addEvaluations(AUC.toBuilder().clearHigherIsBetter()),
            "version.evaluations[0].higher_is_better"),
        invalid(
            "repeated metric on one dataset",
            v -> v.addEvaluations(AUC).addEvaluations(AUC.toBuilder().setValue(0.5)),
            "version.evaluations[1].metric"),
        invalid(
            "fairness group without attribute",
            v ->
                v.setFairness(
                    FAIRNESS.toBuilder()
                        .setGroups(0, FAIRNESS.getGroups(0).toBuilder().clearAttribute())),
            "version.fairness.groups[0].attribute"),
        invalid(
            "unknown parent version",
            v -> v.setLineage(lineage().toBuilder().setParentVersion("0.9.0")),
            "version.lineage.parent_version"),
        invalid(
            "parent is itself",
            v -> v.setLineage(lineage().toBuilder().setParentVersion("1.1.0")),
            "version.lineage.parent_version"),
        invalid(
            "parent not a version",
            v -> v.setLineage(lineage().toBuilder().setParentVersion("latest")),
            "version.lineage.parent_version"),
        invalid(
            "parent in an unknown model",
            v -> v.setLineage(lineage().toBuilder().setParentModel("elsewhere")),
            "version.lineage.parent_version"),
        invalid(
            "empty dataset name",
            v -> v.setLineage(lineage().toBuilder().addDatasets("")),
            "version.lineage.datasets[1]"),
        invalid(
            "card section with control characters",
            v -> v.setCard(CARD.toBuilder().setLimitations("\u0000")),
            "version.card.limitations"));
  }

  private static Arguments invalid(
      String name, UnaryOperator<ModelVersion.Builder> edit, String field) {
    return Arguments.of(name, edit, field);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidMetadata")
  void invalidMetadataIsRefusedNamingTheField(
      String name, UnaryOperator<ModelVersion.Builder> edit, String field) {
    ModelVersion before = registry.getVersion("payments", "1.1.0");
    StatusRuntimeException refused =
        assertFailure(
            () -> update("1.1.0", edit.apply(ModelVersion.newBuilder())),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(refused)).containsExactly(field);
    assertThat(registry.getVersion("payments", "1.1.0")).isEqualTo(before);

    ModelVersion good =
        update(
            "1.1.0",
            ModelVersion.newBuilder()
                .addEvaluations(AUC)
                .setFairness(FAIRNESS)
                .setLineage(lineage()));
    assertThat(good.getEvaluationsList()).containsExactly(AUC);
  }

  @Test
  void masksNamingOtherFieldsAreRefused() {
    for (String path : List.of("signature", "stage", "artifact", "compatibility", "version")) {
      StatusRuntimeException refused =
          assertFailure(
              () -> update("1.1.0", ModelVersion.newBuilder().setChangelog("x"), path),
              Status.Code.INVALID_ARGUMENT,
              "INVALID_FIELD");
      assertThat(StatusDetails.violatedFields(refused)).containsExactly("update_mask");
    }
    assertThat(
            update("1.1.0", ModelVersion.newBuilder().setChangelog("x"), "changelog")
                .getChangelog())
        .isEqualTo("x");
  }
}
