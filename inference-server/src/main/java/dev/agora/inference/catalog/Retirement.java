package dev.agora.inference.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.Objects;

/**
 * A retired version: never served again. {@link #refusal()} is the answer to every request for it,
 * naming the successor when the registry recorded one.
 *
 * @param successorVersion the version to move to; empty when none was named
 */
public record Retirement(String model, String version, String successorVersion) {

  /** Validates the fields. */
  public Retirement {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(successorVersion, "successorVersion");
  }

  /**
   * {@code FAILED_PRECONDITION} ({@code LIFECYCLE_VIOLATION}) with the rule {@code VERSION_RETIRED}
   * in its details and the successor in {@code ErrorInfo} metadata {@code successor_version}.
   */
  public AgoraException refusal() {
    AgoraException.Builder refusal =
        AgoraException.builder(
                ErrorReason.LIFECYCLE_VIOLATION,
                "Version '"
                    + version
                    + "' of model '"
                    + model
                    + "' is retired and no longer served"
                    + (successorVersion.isEmpty()
                        ? "."
                        : "; use its successor " + successorVersion + "."))
            .preconditionViolation(
                "VERSION_RETIRED",
                "models/" + model + "/versions/" + version,
                successorVersion.isEmpty()
                    ? "Retired versions are never served."
                    : "Retired versions are never served; the successor is "
                        + successorVersion
                        + ".");
    if (!successorVersion.isEmpty()) {
      refusal.metadata("successor_version", successorVersion);
    }
    return refusal.build();
  }
}
