package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem with a request's fields, so one answer names them all, then refuses the
 * request with {@code INVALID_FIELD} and a {@code BadRequest} listing each.
 */
final class FieldViolations {
  private final List<AgoraException.FieldViolation> violations = new ArrayList<>();

  void add(String field, String description) {
    violations.add(new AgoraException.FieldViolation(field, description));
  }

  /** At most {@code maxChars} characters on one line; may be empty. */
  void singleLine(String field, String value, int maxChars) {
    if (value.length() > maxChars) {
      add(field, "must be at most " + maxChars + " characters, got " + value.length());
    } else if (value.chars().anyMatch(FieldViolations::isControl)) {
      add(field, "must be a single line without control characters");
    }
  }

  /** Like {@link #singleLine}, and not empty. */
  void required(String field, String value, int maxChars) {
    if (value.isBlank()) {
      add(field, "is required");
    } else {
      singleLine(field, value, maxChars);
    }
  }

  /** Markdown text of at most {@code maxChars} characters: line breaks and tabs allowed. */
  void markdown(String field, String value, int maxChars) {
    if (value.length() > maxChars) {
      add(field, "must be at most " + maxChars + " characters, got " + value.length());
    } else if (value.chars().anyMatch(c -> isControl(c) && c != '\n' && c != '\r' && c != '\t')) {
      add(field, "must not contain control characters other than line breaks and tabs");
    }
  }

  /** A finite number. */
  void finite(String field, double value) {
    if (!Double.isFinite(value)) {
      add(field, "must be a finite number, got " + value);
    }
  }

  /** At most {@code max} entries. */
  void atMost(String field, int count, int max) {
    if (count > max) {
      add(field, "may hold at most " + max + " entries, got " + count);
    }
  }

  /**
   * Throws when any violation was collected.
   *
   * @throws AgoraException {@code INVALID_FIELD} naming every violated field
   */
  void throwIfAny() {
    if (violations.isEmpty()) {
      return;
    }
    AgoraException.FieldViolation first = violations.get(0);
    String message = first.field() + ": " + first.description();
    if (violations.size() > 1) {
      message += " (and " + (violations.size() - 1) + " more problems; see the details)";
    }
    AgoraException.Builder refusal = AgoraException.builder(ErrorReason.INVALID_FIELD, message);
    violations.forEach(v -> refusal.fieldViolation(v.field(), v.description()));
    throw refusal.build();
  }

  private static boolean isControl(int c) {
    return c < 0x20 || c == 0x7f;
  }
}
