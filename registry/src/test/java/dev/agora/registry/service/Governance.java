package dev.agora.registry.service;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.ApproveVersionRequest;
import dev.agora.proto.registry.v1.DeprecateVersionRequest;
import dev.agora.proto.registry.v1.EvaluationResult;
import dev.agora.proto.registry.v1.FairnessReport;
import dev.agora.proto.registry.v1.GroupMetric;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelCard;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RejectVersionRequest;
import dev.agora.proto.registry.v1.ReopenVersionRequest;
import dev.agora.proto.registry.v1.RetireVersionRequest;
import dev.agora.proto.registry.v1.RiskLevel;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.SubmitForReviewRequest;
import dev.agora.proto.registry.v1.UpdateModelRequest;
import dev.agora.proto.registry.v1.UpdateVersionMetadataRequest;
import dev.agora.registry.catalog.CatalogKeys;
import dev.agora.registry.store.Txn;
import java.time.Instant;

/** Lifecycle calls and complete review metadata for the governance tests. */
final class Governance {
  /** The principal the tests approve and reject as: never one of a version's publishers. */
  static final String REVIEWER = "rita-reviewer";

  static final ModelCard CARD =
      ModelCard.newBuilder()
          .setPurpose("Scores card transactions for fraud.")
          .setIntendedUse("Real-time authorization.")
          .setOutOfScopeUses("Credit decisions.")
          .setTrainingData("Transactions 2024-2025.")
          .setLimitations("New merchants are scored conservatively.")
          .setMetrics("AUC on a time-split holdout.")
          .build();

  static final EvaluationResult AUC =
      EvaluationResult.newBuilder()
          .setMetric("auc")
          .setValue(0.91)
          .setDataset("holdout")
          .setEvaluator("eval-pipeline")
          .setThreshold(0.85)
          .setHigherIsBetter(true)
          .build();

  static final FairnessReport FAIRNESS =
      FairnessReport.newBuilder()
          .setSummary("Recall within 2 points across age bands.")
          .addGroups(
              GroupMetric.newBuilder()
                  .setAttribute("age_band")
                  .setGroup("18-25")
                  .setMetric("recall")
                  .setValue(0.87))
          .build();

  private final RegistryHarness registry;

  Governance(RegistryHarness registry) {
    this.registry = registry;
  }

  /** A complete review record: card, one passing evaluation and a fairness report. */
  static ModelVersion complete(String model, String version) {
    return ModelVersion.newBuilder()
        .setModel(model)
        .setVersion(version)
        .setCard(CARD)
        .addEvaluations(AUC)
        .setFairness(FAIRNESS)
        .build();
  }

  ModelVersion updateMetadata(String principal, ModelVersion values, String... paths) {
    return registry
        .as(principal)
        .updateVersionMetadata(
            UpdateVersionMetadataRequest.newBuilder()
                .setVersion(values)
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(java.util.List.of(paths)))
                .build());
  }

  Model setRisk(String model, RiskLevel risk) {
    return registry
        .blocking()
        .updateModel(
            UpdateModelRequest.newBuilder()
                .setModel(Model.newBuilder().setName(model).setRiskLevel(risk))
                .setUpdateMask(FieldMask.newBuilder().addPaths("risk_level"))
                .build());
  }

  /** Uploads a draft with complete metadata. */
  ModelVersion completeDraft(String model, String version, byte[] artifact) {
    registry.upload(model, version, artifact);
    return updateMetadata(
        RegistryHarness.ADMIN, complete(model, version), "card", "evaluations", "fairness");
  }

  ModelVersion submit(String principal, String model, String version) {
    return registry
        .as(principal)
        .submitForReview(
            SubmitForReviewRequest.newBuilder().setModel(model).setVersion(version).build());
  }

  ModelVersion approve(String principal, String model, String version) {
    return registry
        .as(principal)
        .approveVersion(
            ApproveVersionRequest.newBuilder()
                .setModel(model)
                .setVersion(version)
                .setComment("looks good")
                .build());
  }

  ModelVersion reject(String model, String version, String reason) {
    return registry
        .as(REVIEWER)
        .rejectVersion(
            RejectVersionRequest.newBuilder()
                .setModel(model)
                .setVersion(version)
                .setReason(reason)
                .build());
  }

  ModelVersion reopen(String model, String version) {
    return registry
        .blocking()
        .reopenVersion(
            ReopenVersionRequest.newBuilder().setModel(model).setVersion(version).build());
  }

  ModelVersion deprecate(String model, String version, Instant sunset, String successor) {
    DeprecateVersionRequest.Builder request =
        DeprecateVersionRequest.newBuilder()
            .setModel(model)
            .setVersion(version)
            .setSuccessorVersion(successor);
    if (sunset != null) {
      request.setSunsetTime(
          Timestamp.newBuilder()
              .setSeconds(sunset.getEpochSecond())
              .setNanos(sunset.getNano())
              .build());
    }
    return registry.blocking().deprecateVersion(request.build());
  }

  ModelVersion retire(String model, String version) {
    return registry
        .blocking()
        .retireVersion(
            RetireVersionRequest.newBuilder().setModel(model).setVersion(version).build());
  }

  /** Puts a version straight into {@code stage} in the store, bypassing every rule. */
  void force(String model, String version, Stage stage) {
    ModelVersion current = registry.getVersion(model, version);
    registry
        .registry
        .metadataStore()
        .commit(
            Txn.builder()
                .put(
                    CatalogKeys.version(model, version),
                    current.toBuilder().setStage(stage).clearRevision().build().toByteArray())
                .build());
  }
}
