package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.List;

/**
 * Checks that an opened artifact has the signature the registry recorded for it, so requests that
 * were validated against the record fit the model.
 */
final class SignatureCheck {
  private SignatureCheck() {}

  /**
   * @throws AgoraException {@code INVALID_ARTIFACT} naming the first difference
   */
  static void requireMatching(PublishedVersion version, ModelSignature actual) {
    ModelSignature recorded = version.signature();
    String problem = mismatch("input", recorded.inputs(), actual.inputs());
    if (problem == null) {
      problem = mismatch("output", recorded.outputs(), actual.outputs());
    }
    if (problem != null) {
      throw AgoraException.of(
          ErrorReason.INVALID_ARTIFACT,
          "The artifact of " + version.label() + " does not match its signature: " + problem + ".");
    }
  }

  private static String mismatch(
      String kind, List<TensorSignature> recorded, List<TensorSignature> actual) {
    if (recorded.size() != actual.size()) {
      return "it has " + actual.size() + " " + kind + "s, not " + recorded.size();
    }
    for (TensorSignature expected : recorded) {
      boolean found =
          actual.stream()
              .anyMatch(
                  t -> t.name().equals(expected.name()) && t.datatype() == expected.datatype());
      if (!found) {
        return "it has no " + kind + " '" + expected.name() + "' of " + expected.datatype();
      }
    }
    return null;
  }
}
