package dev.agora.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorStatusTest {

  @ParameterizedTest
  @CsvSource({
    "INVALID_FIELD, INVALID_ARGUMENT",
    "DIGEST_MISMATCH, INVALID_ARGUMENT",
    "INVALID_TENSOR, INVALID_ARGUMENT",
    "MODEL_NOT_FOUND, NOT_FOUND",
    "VERSION_ALREADY_EXISTS, ALREADY_EXISTS",
    "ARTIFACT_TOO_LARGE, RESOURCE_EXHAUSTED",
    "QUOTA_EXCEEDED, RESOURCE_EXHAUSTED",
    "LIFECYCLE_VIOLATION, FAILED_PRECONDITION",
    "INCOMPATIBLE_SIGNATURE, FAILED_PRECONDITION",
    "ALIAS_NOT_FOUND, NOT_FOUND",
    "ARTIFACT_CORRUPTED, DATA_LOSS",
    "MODEL_NOT_READY, UNAVAILABLE",
    "UNAUTHENTICATED, UNAUTHENTICATED",
    "PERMISSION_DENIED, PERMISSION_DENIED",
    "TEAM_NOT_FOUND, NOT_FOUND",
    "TEAM_ALREADY_EXISTS, ALREADY_EXISTS",
    "API_KEY_NOT_FOUND, NOT_FOUND",
    "CONFLICT, ABORTED",
    "RESYNC_REQUIRED, OUT_OF_RANGE",
    "NOT_IMPLEMENTED, UNIMPLEMENTED",
    "INTERNAL_ERROR, INTERNAL"
  })
  void reasonsMapToTheirStatusCode(ErrorReason reason, Status.Code code) {
    StatusRuntimeException e = ErrorStatus.toStatusException(AgoraException.of(reason, "why"));

    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).isEqualTo("why");
    assertThat(errorInfo(e).getReason()).isEqualTo(reason.name());
    assertThat(errorInfo(e).getDomain()).isEqualTo(ErrorStatus.DOMAIN);
  }

  @Test
  void everyReasonHasACode() {
    Arrays.stream(ErrorReason.values())
        .filter(r -> r != ErrorReason.UNRECOGNIZED)
        .forEach(r -> assertThat(ErrorStatus.codeFor(r)).isNotEqualTo(Status.Code.OK));
  }

  @Test
  void invalidFieldCarriesABadRequestNamingTheField() throws Exception {
    StatusRuntimeException e =
        ErrorStatus.toStatusException(AgoraException.invalidField("model.name", "must be set"));

    BadRequest badRequest = detail(e, BadRequest.class);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("model.name");
    assertThat(e.getStatus().getDescription()).contains("model.name").contains("must be set");
  }

  @Test
  void preconditionsAndRetryDelayBecomeDetails() throws Exception {
    AgoraException failure =
        AgoraException.builder(ErrorReason.LIFECYCLE_VIOLATION, "not a draft")
            .preconditionViolation("STAGE", "m/1.0.0", "only DRAFT versions can be published")
            .retryDelay(Duration.ofMillis(1500))
            .build();

    StatusRuntimeException e = ErrorStatus.toStatusException(failure);

    assertThat(detail(e, PreconditionFailure.class).getViolations(0).getType()).isEqualTo("STAGE");
    RetryInfo retry = detail(e, RetryInfo.class);
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);
    assertThat(retry.getRetryDelay().getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void unknownExceptionsBecomeInternalWithACorrelationIdAndNoInternals() {
    StatusRuntimeException e =
        ErrorStatus.toStatusException(new IllegalStateException("secret table name"));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).doesNotContain("secret");
    String correlationId = errorInfo(e).getMetadataOrThrow("correlation_id");
    assertThat(e.getStatus().getDescription()).contains(correlationId);
  }

  @Test
  void statusExceptionsPassThrough() {
    StatusRuntimeException original = Status.CANCELLED.withDescription("bye").asRuntimeException();

    assertThat(ErrorStatus.toStatusException(original)).isSameAs(original);
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) {
    try {
      return detail(e, ErrorInfo.class);
    } catch (Exception x) {
      throw new AssertionError(x);
    }
  }

  private static <T extends com.google.protobuf.Message> T detail(
      StatusRuntimeException e, Class<T> type) throws Exception {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    for (com.google.protobuf.Any any : status.getDetailsList()) {
      if (any.is(type)) {
        return any.unpack(type);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + status);
  }
}
