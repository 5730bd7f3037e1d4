package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The rules of a deprecation: a sunset at least the notice period away ({@code
 * DEPRECATION_NOTICE_PERIOD}) and, when named, a successor that is another PUBLISHED version of the
 * same model ({@code DEPRECATION_SUCCESSOR}).
 */
final class Deprecations {
  static final String NOTICE_RULE = "DEPRECATION_NOTICE_PERIOD";
  static final String SUCCESSOR_RULE = "DEPRECATION_SUCCESSOR";

  private final VersionRepository versions;
  private final Duration notice;
  private final InstantSource clock;

  Deprecations(VersionRepository versions, GovernanceConfig config, InstantSource clock) {
    this.versions = versions;
    this.notice = config.deprecationNotice();
    this.clock = clock;
  }

  /**
   * Throws unless the sunset and successor are acceptable.
   *
   * @param sunset null when the request named none
   * @param successor empty when the request named none
   * @throws AgoraException {@code INVALID_FIELD} for a missing sunset or malformed successor,
   *     {@code VERSION_NOT_FOUND} for an unknown successor, {@code LIFECYCLE_VIOLATION} for a
   *     sunset too soon or a successor that is not another PUBLISHED version
   */
  void check(String model, String version, Instant sunset, String successor) {
    if (sunset == null) {
      throw AgoraException.invalidField(
          "sunset_time", "is required: when the deprecated version will be retired");
    }
    Instant earliest = clock.instant().plus(notice);
    String subject = "models/" + model + "/versions/" + version;
    if (sunset.isBefore(earliest)) {
      throw AgoraException.builder(
              ErrorReason.LIFECYCLE_VIOLATION,
              "The sunset "
                  + sunset
                  + " is less than the notice period of "
                  + notice.toDays()
                  + " days away; choose "
                  + earliest
                  + " or later.")
          .preconditionViolation(
              NOTICE_RULE,
              subject,
              "A deprecation needs at least " + notice + " of notice before its sunset.")
          .metadata("earliest_sunset", earliest.toString())
          .build();
    }
    if (successor.isEmpty()) {
      return;
    }
    CatalogNames.requireVersion("successor_version", successor);
    ModelVersion next = versions.get(model, successor);
    if (successor.equals(version) || next.getStage() != Stage.STAGE_PUBLISHED) {
      throw AgoraException.builder(
              ErrorReason.LIFECYCLE_VIOLATION,
              "The successor "
                  + successor
                  + " must be another PUBLISHED version of model '"
                  + model
                  + "'; it is "
                  + Transition.stageName(next.getStage())
                  + (successor.equals(version) ? " and the version itself" : "")
                  + ".")
          .preconditionViolation(
              SUCCESSOR_RULE, subject, "The successor must be another version in stage PUBLISHED.")
          .build();
    }
  }
}
