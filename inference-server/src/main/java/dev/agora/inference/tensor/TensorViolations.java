package dev.agora.inference.tensor;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with a request's tensors so that one answer names every problem, then
 * throws them as one {@link AgoraException} with a field violation each.
 */
final class TensorViolations {
  private static final int MAX_IN_MESSAGE = 5;

  private record Violation(String field, String description, ErrorReason reason) {}

  private List<Violation> violations = List.of();

  /** A tensor that does not match the model's signature: {@code INVALID_TENSOR}. */
  void invalid(String field, String description) {
    add(new Violation(field, description, ErrorReason.INVALID_TENSOR));
  }

  /** A well-formed tensor that is larger than the server accepts: {@code LIMIT_EXCEEDED}. */
  void overLimit(String field, String description) {
    add(new Violation(field, description, ErrorReason.LIMIT_EXCEEDED));
  }

  /** Whether nothing was collected. */
  boolean isEmpty() {
    return violations.isEmpty();
  }

  private void add(Violation violation) {
    if (violations.isEmpty()) {
      violations = new ArrayList<>();
    }
    violations.add(violation);
  }

  /**
   * Throws when anything was collected. The reason is {@code INVALID_TENSOR} when any tensor is
   * invalid, else {@code LIMIT_EXCEEDED}.
   */
  void throwIfAny(String subject) {
    if (violations.isEmpty()) {
      return;
    }
    ErrorReason reason =
        violations.stream().anyMatch(v -> v.reason() == ErrorReason.INVALID_TENSOR)
            ? ErrorReason.INVALID_TENSOR
            : ErrorReason.LIMIT_EXCEEDED;
    AgoraException.Builder error = AgoraException.builder(reason, message(subject));
    violations.forEach(v -> error.fieldViolation(v.field(), v.description()));
    throw error.build();
  }

  /** An invalid-tensor exception for one problem found after collection ended. */
  static AgoraException single(String subject, String field, String description) {
    return AgoraException.builder(
            ErrorReason.INVALID_TENSOR,
            "Invalid inference request for " + subject + ": " + description + ".")
        .fieldViolation(field, description)
        .build();
  }

  private String message(String subject) {
    StringBuilder text = new StringBuilder("Invalid inference request for ").append(subject);
    text.append(": ");
    for (int i = 0; i < Math.min(MAX_IN_MESSAGE, violations.size()); i++) {
      text.append(i == 0 ? "" : "; ").append(violations.get(i).description());
    }
    if (violations.size() > MAX_IN_MESSAGE) {
      text.append("; and ").append(violations.size() - MAX_IN_MESSAGE).append(" more problems");
    }
    return text.append('.').toString();
  }
}
