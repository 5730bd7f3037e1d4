package dev.agora.common.error;

import dev.agora.proto.errors.v1.ErrorReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A failure with a closed reason and a sentence a user understands. The gRPC status code follows
 * from the reason ({@link ErrorStatus#codeFor(ErrorReason)}); optional details become {@code
 * google.rpc} detail messages on the wire.
 */
public final class AgoraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A request field that is wrong, and why. Becomes a {@code BadRequest.FieldViolation}. */
  public record FieldViolation(String field, String description) {}

  /** A rule that was not met. Becomes a {@code PreconditionFailure.Violation}. */
  public record PreconditionViolation(String type, String subject, String description) {}

  private final ErrorReason reason;
  private final transient List<FieldViolation> fieldViolations;
  private final transient List<PreconditionViolation> preconditionViolations;
  private final transient Map<String, String> metadata;
  private final transient Duration retryDelay;

  private AgoraException(Builder builder) {
    super(builder.message, builder.cause);
    this.reason = builder.reason;
    this.fieldViolations = List.copyOf(builder.fieldViolations);
    this.preconditionViolations = List.copyOf(builder.preconditionViolations);
    this.metadata = Map.copyOf(builder.metadata);
    this.retryDelay = builder.retryDelay;
  }

  /** Starts an exception with a reason and the sentence shown to the caller. */
  public static Builder builder(ErrorReason reason, String message) {
    return new Builder(reason, message);
  }

  /** A bare exception with a reason and a sentence. */
  public static AgoraException of(ErrorReason reason, String message) {
    return builder(reason, message).build();
  }

  /** A missing or malformed request field: {@code INVALID_ARGUMENT} naming the field. */
  public static AgoraException invalidField(String field, String description) {
    return builder(ErrorReason.INVALID_FIELD, field + ": " + description)
        .fieldViolation(field, description)
        .build();
  }

  public ErrorReason reason() {
    return reason;
  }

  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }

  public List<PreconditionViolation> preconditionViolations() {
    return preconditionViolations;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }

  /** Collects the optional details of an {@link AgoraException}. */
  public static final class Builder {
    private final ErrorReason reason;
    private final String message;
    private final List<FieldViolation> fieldViolations = new ArrayList<>();
    private final List<PreconditionViolation> preconditionViolations = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Duration retryDelay;
    private Throwable cause;

    private Builder(ErrorReason reason, String message) {
      if (reason == null || reason == ErrorReason.ERROR_REASON_UNSPECIFIED) {
        throw new IllegalArgumentException("an AgoraException needs a specific reason");
      }
      this.reason = reason;
      this.message = message;
    }

    public Builder fieldViolation(String field, String description) {
      fieldViolations.add(new FieldViolation(field, description));
      return this;
    }

    public Builder preconditionViolation(String type, String subject, String description) {
      preconditionViolations.add(new PreconditionViolation(type, subject, description));
      return this;
    }

    public Builder metadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    public Builder retryDelay(Duration delay) {
      this.retryDelay = delay;
      return this;
    }

    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    public AgoraException build() {
      return new AgoraException(this);
    }
  }
}
