package dev.agora.inference.catalog;

import dev.agora.inference.tensor.ModelSignature;
import java.util.Objects;

/**
 * A servable model version as the catalog describes it: which artifact to fetch, how to verify it,
 * and the signature extracted from it at upload.
 *
 * @param sha256 lower-case hex SHA-256 of the artifact bytes
 * @param deprecation the deprecation notice when the version is deprecated, null otherwise
 */
public record PublishedVersion(
    String model,
    String version,
    String sha256,
    long sizeBytes,
    ModelSignature signature,
    Deprecation deprecation) {

  /** A version that is not deprecated. */
  public PublishedVersion(
      String model, String version, String sha256, long sizeBytes, ModelSignature signature) {
    this(model, version, sha256, sizeBytes, signature, null);
  }

  /** Validates the fields. */
  public PublishedVersion {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(signature, "signature");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must not be negative");
    }
  }

  /** Names this version in sentences: {@code model 'mlp' version '1.0.0'}. */
  public String label() {
    return "model '" + model + "' version '" + version + "'";
  }
}
