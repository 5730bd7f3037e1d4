package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RiskLevel;
import dev.agora.proto.registry.v1.Stage;

/** The refusals several catalog operations share. */
public final class CatalogRefusals {

  private CatalogRefusals() {}

  /** Concurrent writers kept winning the compare-and-write. */
  public static AgoraException conflict(String subject) {
    return AgoraException.of(
        ErrorReason.CONFLICT,
        "Concurrent changes to " + subject + " kept interfering; retry the request.");
  }

  /**
   * Throws unless {@code expected} is 0 or equals the record's {@code actual} revision.
   *
   * @throws AgoraException {@code CONFLICT} naming both revisions
   */
  public static void requireRevision(long expected, long actual, String subject) {
    if (expected < 0) {
      throw AgoraException.invalidField("expected_revision", "cannot be negative");
    }
    if (expected != 0 && expected != actual) {
      throw AgoraException.builder(
              ErrorReason.CONFLICT,
              subject
                  + " is at revision "
                  + actual
                  + ", not the expected "
                  + expected
                  + "; read it again and retry.")
          .metadata("current_revision", Long.toString(actual))
          .metadata("expected_revision", Long.toString(expected))
          .build();
    }
  }

  /**
   * Only a DRAFT version allows {@code action}.
   *
   * @param action what was attempted, e.g. "published"
   */
  static AgoraException onlyDraft(ModelVersion version, String action) {
    String subject = subject(version);
    String immutable =
        version.getStage() == Stage.STAGE_PUBLISHED || version.getStage() == Stage.STAGE_DEPRECATED
            ? " (published versions are immutable)"
            : "";
    return AgoraException.builder(
            ErrorReason.LIFECYCLE_VIOLATION,
            "Only a DRAFT version can be "
                + action
                + "; "
                + subject
                + " is "
                + version.getStage().name()
                + immutable
                + ".")
        .preconditionViolation(
            "LIFECYCLE",
            subject,
            "The version is "
                + version.getStage().name()
                + "; being "
                + action
                + " needs STAGE_DRAFT.")
        .build();
  }

  /**
   * The direct PublishVersion is a fast path for models of LOW or unspecified risk only.
   *
   * @throws AgoraException {@code LIFECYCLE_VIOLATION} (rule {@code LIFECYCLE_FAST_PATH}) for
   *     MEDIUM and HIGH risk models
   */
  static void requireFastPath(Model model, ModelVersion version) {
    RiskLevel risk = model.getRiskLevel();
    if (risk != RiskLevel.RISK_LEVEL_MEDIUM && risk != RiskLevel.RISK_LEVEL_HIGH) {
      return;
    }
    String level = risk.name().replace("RISK_LEVEL_", "");
    throw AgoraException.builder(
            ErrorReason.LIFECYCLE_VIOLATION,
            "Model '"
                + model.getName()
                + "' is "
                + level
                + " risk, so its versions cannot be published directly; use SubmitForReview and"
                + " have a reviewer call ApproveVersion.")
        .preconditionViolation(
            "LIFECYCLE_FAST_PATH",
            subject(version),
            "PublishVersion is allowed only for LOW or unspecified risk models; this one is "
                + level
                + ".")
        .metadata("risk_level", risk.name())
        .build();
  }

  static String subject(ModelVersion version) {
    return "models/" + version.getModel() + "/versions/" + version.getVersion();
  }
}
