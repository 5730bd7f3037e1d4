package dev.agora.inference.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A deprecated version's notice: it still serves, and every answer carries this notice so callers
 * learn when it stops and what replaces it.
 *
 * @param sunset when the version is due to be retired; null when the registry named no date
 * @param successorVersion the version to move to; empty when none was named
 */
public record Deprecation(String model, String version, Instant sunset, String successorVersion) {

  /** Validates the fields. */
  public Deprecation {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(successorVersion, "successorVersion");
  }

  /** The sunset, when one was named. */
  public Optional<Instant> sunsetTime() {
    return Optional.ofNullable(sunset);
  }

  /**
   * The warning sentence: {@code Version '1.0.0' of model 'mlp' is deprecated and will be retired
   * at 2026-12-31T00:00:00Z; move to version 2.0.0.}
   */
  public String warning() {
    StringBuilder sentence =
        new StringBuilder("Version '")
            .append(version)
            .append("' of model '")
            .append(model)
            .append("' is deprecated");
    if (sunset != null) {
      sentence.append(" and will be retired at ").append(sunset);
    }
    if (!successorVersion.isEmpty()) {
      sentence.append("; move to version ").append(successorVersion);
    }
    return sentence.append('.').toString();
  }
}
