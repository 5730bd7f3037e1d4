package dev.agora.common.error;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps failures to gRPC statuses. This is the only place where a reason becomes a status code and
 * where exceptions become wire errors.
 */
public final class ErrorStatus {
  /** The {@code ErrorInfo.domain} of every Agora error. */
  public static final String DOMAIN = "agora.dev";

  private static final Logger log = LoggerFactory.getLogger(ErrorStatus.class);

  private ErrorStatus() {}

  /** The gRPC status code for a reason. */
  public static Status.Code codeFor(ErrorReason reason) {
    return switch (reason) {
      case INVALID_FIELD, DIGEST_MISMATCH, INVALID_ARTIFACT, TRUNCATED_UPLOAD, INVALID_TENSOR ->
          Status.Code.INVALID_ARGUMENT;
      case MODEL_NOT_FOUND, VERSION_NOT_FOUND, ALIAS_NOT_FOUND, TEAM_NOT_FOUND, API_KEY_NOT_FOUND ->
          Status.Code.NOT_FOUND;
      case MODEL_ALREADY_EXISTS, VERSION_ALREADY_EXISTS, TEAM_ALREADY_EXISTS ->
          Status.Code.ALREADY_EXISTS;
      case ARTIFACT_TOO_LARGE, QUOTA_EXCEEDED, LIMIT_EXCEEDED -> Status.Code.RESOURCE_EXHAUSTED;
      case LIFECYCLE_VIOLATION, INCOMPATIBLE_SIGNATURE, GOVERNANCE_GATE_FAILED ->
          Status.Code.FAILED_PRECONDITION;
      case ARTIFACT_CORRUPTED -> Status.Code.DATA_LOSS;
      case MODEL_NOT_READY, STORE_UNAVAILABLE -> Status.Code.UNAVAILABLE;
      case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
      case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
      case CONFLICT -> Status.Code.ABORTED;
      case RESYNC_REQUIRED -> Status.Code.OUT_OF_RANGE;
      case NOT_IMPLEMENTED -> Status.Code.UNIMPLEMENTED;
      case INFERENCE_FAILED, INTERNAL_ERROR, ERROR_REASON_UNSPECIFIED, UNRECOGNIZED ->
          Status.Code.INTERNAL;
    };
  }

  /**
   * Converts any throwable into the exception to hand to {@code StreamObserver.onError}. A status
   * exception passes through unchanged; an {@link AgoraException} gets its reason's code and
   * details; anything else becomes {@code INTERNAL} with a logged correlation id.
   */
  public static StatusRuntimeException toStatusException(Throwable failure) {
    if (failure instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (failure instanceof io.grpc.StatusException se) {
      return new StatusRuntimeException(se.getStatus(), se.getTrailers());
    }
    if (failure instanceof AgoraException agora) {
      return StatusProto.toStatusRuntimeException(toRpcStatus(agora));
    }
    String correlationId = UUID.randomUUID().toString();
    log.error("unexpected failure, correlation id {}", correlationId, failure);
    return StatusProto.toStatusRuntimeException(
        toRpcStatus(
            AgoraException.builder(
                    ErrorReason.INTERNAL_ERROR,
                    "The server failed unexpectedly; quote correlation id "
                        + correlationId
                        + " when reporting it.")
                .metadata("correlation_id", correlationId)
                .build()));
  }

  /** The {@code google.rpc.Status} for an {@link AgoraException}, with its details packed. */
  public static com.google.rpc.Status toRpcStatus(AgoraException e) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder()
            .setCode(codeFor(e.reason()).value())
            .setMessage(e.getMessage() == null ? e.reason().name() : e.getMessage())
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setReason(e.reason().name())
                        .setDomain(DOMAIN)
                        .putAllMetadata(e.metadata())
                        .build()));
    if (!e.fieldViolations().isEmpty()) {
      BadRequest.Builder badRequest = BadRequest.newBuilder();
      e.fieldViolations()
          .forEach(
              v ->
                  badRequest.addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(v.field())
                          .setDescription(v.description())));
      status.addDetails(Any.pack(badRequest.build()));
    }
    if (!e.preconditionViolations().isEmpty()) {
      PreconditionFailure.Builder failure = PreconditionFailure.newBuilder();
      e.preconditionViolations()
          .forEach(
              v ->
                  failure.addViolations(
                      PreconditionFailure.Violation.newBuilder()
                          .setType(v.type())
                          .setSubject(v.subject())
                          .setDescription(v.description())));
      status.addDetails(Any.pack(failure.build()));
    }
    e.retryDelay().ifPresent(delay -> status.addDetails(Any.pack(retryInfo(delay))));
    return status.build();
  }

  private static RetryInfo retryInfo(Duration delay) {
    return RetryInfo.newBuilder()
        .setRetryDelay(
            com.google.protobuf.Duration.newBuilder()
                .setSeconds(delay.getSeconds())
                .setNanos(delay.getNano()))
        .build();
  }
}
