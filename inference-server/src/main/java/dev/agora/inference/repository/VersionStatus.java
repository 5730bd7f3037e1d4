package dev.agora.inference.repository;

import java.util.Objects;

/**
 * The state of one model version the repository knows.
 *
 * @param reason why the version is unavailable; empty otherwise
 */
public record VersionStatus(String model, String version, VersionState state, String reason) {

  /** Validates the fields. */
  public VersionStatus {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
  }
}
