package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Signature;
import dev.agora.proto.registry.v1.SignatureChange;
import dev.agora.proto.registry.v1.SignatureComparison;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.compatibility.SignatureDiff;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The versioning rule: a version's signature is compared with its baseline, the highest PUBLISHED
 * or DEPRECATED release (not a pre-release) of lower precedence; a breaking difference needs a
 * major version bump (a minor one while the baseline is 0.y.z).
 */
final class CompatibilityCheck {
  static final String NO_BASELINE = "no earlier published version";

  private CompatibilityCheck() {}

  /** {@code signature} of {@code version} compared with its baseline among {@code versions}. */
  static SignatureComparison compare(
      Collection<ModelVersion> versions, String version, Signature signature) {
    Optional<ModelVersion> baseline = baseline(versions, version);
    if (baseline.isEmpty()) {
      return SignatureComparison.newBuilder().setCompatible(true).setSummary(NO_BASELINE).build();
    }
    List<SignatureChange> changes = SignatureDiff.between(baseline.get().getSignature(), signature);
    boolean breaking = SignatureDiff.anyBreaking(changes);
    String summary =
        breaking
            ? "breaking: " + String.join("; ", breakingDescriptions(changes))
            : "compatible with " + baseline.get().getVersion();
    return SignatureComparison.newBuilder()
        .setBaselineVersion(baseline.get().getVersion())
        .setCompatible(!breaking)
        .addAllChanges(changes)
        .setSummary(summary)
        .build();
  }

  /**
   * Refuses a breaking comparison unless {@code version} bumps the baseline's major version.
   *
   * @throws AgoraException {@code INCOMPATIBLE_SIGNATURE} with one precondition violation per
   *     breaking difference, its type the rule's name
   */
  static void requireAllowed(String model, String version, SignatureComparison comparison) {
    String baseline = comparison.getBaselineVersion();
    if (comparison.getCompatible() || SemanticVersions.isBreakingBump(baseline, version)) {
      return;
    }
    List<String> descriptions = breakingDescriptions(comparison.getChangesList());
    AgoraException.Builder refusal =
        AgoraException.builder(
                ErrorReason.INCOMPATIBLE_SIGNATURE,
                "Version "
                    + version
                    + " of model '"
                    + model
                    + "' breaks the signature of published version "
                    + baseline
                    + " without a major version bump: "
                    + String.join("; ", descriptions)
                    + ". Keep the signature compatible, or release it as a new major version.")
            .metadata("model", model)
            .metadata("version", version)
            .metadata("baseline_version", baseline);
    comparison.getChangesList().stream()
        .filter(SignatureChange::getBreaking)
        .forEach(
            change ->
                refusal.preconditionViolation(
                    change.getRule().name(), change.getSubject(), change.getDescription()));
    throw refusal.build();
  }

  private static Optional<ModelVersion> baseline(
      Collection<ModelVersion> versions, String version) {
    return versions.stream()
        .filter(
            v -> v.getStage() == Stage.STAGE_PUBLISHED || v.getStage() == Stage.STAGE_DEPRECATED)
        .filter(v -> !SemanticVersions.isPreRelease(v.getVersion()))
        .filter(v -> SemanticVersions.isOlder(v.getVersion(), version))
        .min((a, b) -> SemanticVersions.NEWEST_FIRST.compare(a.getVersion(), b.getVersion()));
  }

  private static List<String> breakingDescriptions(List<SignatureChange> changes) {
    return changes.stream()
        .filter(SignatureChange::getBreaking)
        .map(SignatureChange::getDescription)
        .toList();
  }
}
