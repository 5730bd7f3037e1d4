package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.EvaluationResult;
import dev.agora.proto.registry.v1.FairnessReport;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelCard;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RiskLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gates a version in review must pass to be approved. Every failing gate is reported, each as
 * its own PreconditionFailure violation whose type is the gate's name.
 */
final class PublishingGates {
  static final String CARD_INCOMPLETE = "GATE_MODEL_CARD_INCOMPLETE";
  static final String EVALUATION_MISSING = "GATE_EVALUATION_MISSING";
  static final String BELOW_THRESHOLD = "GATE_EVALUATION_BELOW_THRESHOLD";
  static final String FAIRNESS_MISSING = "GATE_FAIRNESS_REPORT_MISSING";
  static final String REVIEWER_IS_PUBLISHER = "GATE_REVIEWER_IS_PUBLISHER";

  /** One failing gate. */
  record Failure(String gate, String subject, String description) {}

  private PublishingGates() {}

  /**
   * Throws unless every gate passes.
   *
   * @throws AgoraException {@code GOVERNANCE_GATE_FAILED} with one violation per failing gate
   */
  static void require(Model model, ModelVersion version, String reviewer) {
    List<Failure> failures = failures(model, version, reviewer);
    if (failures.isEmpty()) {
      return;
    }
    String subject = CatalogRefusals.subject(version);
    AgoraException.Builder refusal =
        AgoraException.builder(
            ErrorReason.GOVERNANCE_GATE_FAILED,
            subject
                + " cannot be approved: "
                + String.join("; ", failures.stream().map(Failure::description).toList())
                + ".");
    failures.forEach(f -> refusal.preconditionViolation(f.gate(), f.subject(), f.description()));
    throw refusal.build();
  }

  /** The failing gates, in a fixed order. */
  static List<Failure> failures(Model model, ModelVersion version, String reviewer) {
    String subject = CatalogRefusals.subject(version);
    List<Failure> failures = new ArrayList<>();
    List<String> missing = missingCardSections(version.getCard());
    if (!missing.isEmpty()) {
      failures.add(
          new Failure(
              CARD_INCOMPLETE,
              subject + "/card",
              "the model card lacks " + String.join(", ", missing)));
    }
    if (version.getEvaluationsCount() == 0) {
      failures.add(
          new Failure(EVALUATION_MISSING, subject, "the version has no evaluation results"));
    }
    for (EvaluationResult result : version.getEvaluationsList()) {
      if (belowThreshold(result)) {
        failures.add(
            new Failure(
                BELOW_THRESHOLD,
                subject + "/evaluations/" + result.getMetric() + "@" + result.getDataset(),
                thresholdDescription(result)));
      }
    }
    if (model.getRiskLevel() == RiskLevel.RISK_LEVEL_HIGH && !hasFairness(version)) {
      failures.add(
          new Failure(
              FAIRNESS_MISSING,
              subject,
              "model '"
                  + model.getName()
                  + "' is HIGH risk and the version has no fairness report"));
    }
    if (version.getPublishersList().contains(reviewer)) {
      failures.add(
          new Failure(
              REVIEWER_IS_PUBLISHER,
              subject,
              "'" + reviewer + "' published this version and cannot also approve it"));
    }
    return failures;
  }

  private static List<String> missingCardSections(ModelCard card) {
    Map<String, String> sections = new LinkedHashMap<>();
    sections.put("purpose", card.getPurpose());
    sections.put("intended_use", card.getIntendedUse());
    sections.put("out_of_scope_uses", card.getOutOfScopeUses());
    sections.put("training_data", card.getTrainingData());
    sections.put("limitations", card.getLimitations());
    sections.put("metrics", card.getMetrics());
    return sections.entrySet().stream()
        .filter(e -> e.getValue().isBlank())
        .map(Map.Entry::getKey)
        .toList();
  }

  private static boolean belowThreshold(EvaluationResult result) {
    if (!result.hasThreshold()) {
      return false;
    }
    boolean higherIsBetter = !result.hasHigherIsBetter() || result.getHigherIsBetter();
    return higherIsBetter
        ? result.getValue() < result.getThreshold()
        : result.getValue() > result.getThreshold();
  }

  private static String thresholdDescription(EvaluationResult result) {
    boolean higherIsBetter = !result.hasHigherIsBetter() || result.getHigherIsBetter();
    return result.getMetric()
        + " on "
        + result.getDataset()
        + " is "
        + result.getValue()
        + ", "
        + (higherIsBetter ? "below the declared minimum " : "above the declared maximum ")
        + result.getThreshold();
  }

  private static boolean hasFairness(ModelVersion version) {
    FairnessReport report = version.getFairness();
    return version.hasFairness() && (!report.getSummary().isBlank() || report.getGroupsCount() > 0);
  }
}
