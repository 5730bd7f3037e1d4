package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.EvaluationResult;
import dev.agora.proto.registry.v1.FairnessReport;
import dev.agora.proto.registry.v1.GroupMetric;
import dev.agora.proto.registry.v1.Lineage;
import dev.agora.proto.registry.v1.ModelCard;
import dev.agora.proto.registry.v1.ModelVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * What a version's card, evaluations, fairness report, lineage and changelog may hold; the limits
 * are documented on the messages in {@code registry.proto}. Every violation is reported at once.
 */
final class VersionMetadataRules {
  static final int TEXT_CHARS = 65_536;
  static final int MAX_EVALUATIONS = 100;
  static final int MAX_GROUPS = 1000;
  static final int MAX_DATASETS = 100;

  private VersionMetadataRules() {}

  /**
   * Checks the metadata of {@code version}.
   *
   * @param prefix the request path of the version message, e.g. {@code "version."}
   * @param versionExists whether (model, version) names an existing version, for the lineage
   * @throws AgoraException {@code INVALID_FIELD} naming each violated field
   */
  static void check(
      ModelVersion version, String prefix, BiPredicate<String, String> versionExists) {
    FieldViolations violations = new FieldViolations();
    checkCard(version.getCard(), prefix + "card.", violations);
    checkEvaluations(version.getEvaluationsList(), prefix + "evaluations", violations);
    checkFairness(version.getFairness(), prefix + "fairness.", violations);
    checkLineage(version, prefix + "lineage.", versionExists, violations);
    violations.markdown(prefix + "changelog", version.getChangelog(), TEXT_CHARS);
    violations.throwIfAny();
  }

  private static void checkCard(ModelCard card, String prefix, FieldViolations violations) {
    violations.markdown(prefix + "purpose", card.getPurpose(), TEXT_CHARS);
    violations.markdown(prefix + "intended_use", card.getIntendedUse(), TEXT_CHARS);
    violations.markdown(prefix + "out_of_scope_uses", card.getOutOfScopeUses(), TEXT_CHARS);
    violations.markdown(prefix + "training_data", card.getTrainingData(), TEXT_CHARS);
    violations.markdown(prefix + "limitations", card.getLimitations(), TEXT_CHARS);
    violations.markdown(prefix + "metrics", card.getMetrics(), TEXT_CHARS);
  }

  private static void checkEvaluations(
      List<EvaluationResult> evaluations, String field, FieldViolations violations) {
    violations.atMost(field, evaluations.size(), MAX_EVALUATIONS);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < evaluations.size(); i++) {
      EvaluationResult result = evaluations.get(i);
      String prefix = field + "[" + i + "].";
      violations.required(prefix + "metric", result.getMetric(), 100);
      violations.required(prefix + "dataset", result.getDataset(), 200);
      violations.required(prefix + "evaluator", result.getEvaluator(), 200);
      violations.finite(prefix + "value", result.getValue());
      if (result.hasThreshold()) {
        violations.finite(prefix + "threshold", result.getThreshold());
        if (!result.hasHigherIsBetter()) {
          violations.add(
              prefix + "higher_is_better",
              "is required with a threshold, to say whether it is a minimum or a maximum");
        }
      }
      if (!seen.add(result.getMetric() + "\u0000" + result.getDataset())) {
        violations.add(
            prefix + "metric",
            "repeats metric '" + result.getMetric() + "' on dataset '" + result.getDataset() + "'");
      }
    }
  }

  private static void checkFairness(
      FairnessReport report, String prefix, FieldViolations violations) {
    violations.markdown(prefix + "summary", report.getSummary(), TEXT_CHARS);
    violations.atMost(prefix + "groups", report.getGroupsCount(), MAX_GROUPS);
    for (int i = 0; i < report.getGroupsCount(); i++) {
      GroupMetric group = report.getGroups(i);
      String groupPrefix = prefix + "groups[" + i + "].";
      violations.required(groupPrefix + "attribute", group.getAttribute(), 100);
      violations.required(groupPrefix + "group", group.getGroup(), 100);
      violations.required(groupPrefix + "metric", group.getMetric(), 100);
      violations.finite(groupPrefix + "value", group.getValue());
    }
  }

  private static void checkLineage(
      ModelVersion version,
      String prefix,
      BiPredicate<String, String> versionExists,
      FieldViolations violations) {
    Lineage lineage = version.getLineage();
    violations.atMost(prefix + "datasets", lineage.getDatasetsCount(), MAX_DATASETS);
    for (int i = 0; i < lineage.getDatasetsCount(); i++) {
      violations.required(prefix + "datasets[" + i + "]", lineage.getDatasets(i), 500);
    }
    violations.singleLine(prefix + "code_revision", lineage.getCodeRevision(), 200);
    String parentModel =
        lineage.getParentModel().isEmpty() ? version.getModel() : lineage.getParentModel();
    String parent = lineage.getParentVersion();
    if (!lineage.getParentModel().isEmpty() && !CatalogNames.isModelName(parentModel)) {
      violations.add(prefix + "parent_model", "is not a model name: '" + parentModel + "'");
    } else if (parent.isEmpty()) {
      if (!lineage.getParentModel().isEmpty()) {
        violations.add(prefix + "parent_version", "is required when parent_model is set");
      }
    } else if (SemanticVersions.parse(parent) == null) {
      violations.add(prefix + "parent_version", "is not a semantic version: '" + parent + "'");
    } else if (parentModel.equals(version.getModel()) && parent.equals(version.getVersion())) {
      violations.add(prefix + "parent_version", "cannot be the version itself");
    } else if (!versionExists.test(parentModel, parent)) {
      violations.add(
          prefix + "parent_version", "model '" + parentModel + "' has no version '" + parent + "'");
    }
  }
}
