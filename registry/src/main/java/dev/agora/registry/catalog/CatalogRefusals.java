package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ModelVersion;
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

  static String subject(ModelVersion version) {
    return "models/" + version.getModel() + "/versions/" + version.getVersion();
  }
}
