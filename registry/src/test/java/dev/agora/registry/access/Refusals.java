package dev.agora.registry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Checks failed calls: status code, {@code ErrorInfo} reason and metadata, field violations. */
final class Refusals {
  private Refusals() {}

  static StatusRuntimeException assertRefused(
      ThrowingCallable call, Status.Code code, String reason) {
    StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
    assertThat(failure).as("the call should fail with %s %s", code, reason).isNotNull();
    assertThat(failure.getStatus().getCode())
        .as(String.valueOf(failure.getStatus()))
        .isEqualTo(code);
    assertThat(info(failure).getReason()).isEqualTo(reason);
    return failure;
  }

  static Map<String, String> metadata(StatusRuntimeException failure) {
    return info(failure).getMetadataMap();
  }

  static List<String> violatedFields(StatusRuntimeException failure) {
    return details(failure).stream()
        .filter(detail -> detail.is(BadRequest.class))
        .flatMap(detail -> unpack(detail, BadRequest.class).getFieldViolationsList().stream())
        .map(BadRequest.FieldViolation::getField)
        .toList();
  }

  private static ErrorInfo info(StatusRuntimeException failure) {
    return details(failure).stream()
        .filter(detail -> detail.is(ErrorInfo.class))
        .map(detail -> unpack(detail, ErrorInfo.class))
        .findFirst()
        .orElse(ErrorInfo.getDefaultInstance());
  }

  private static List<Any> details(StatusRuntimeException failure) {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    return status == null ? List.of() : status.getDetailsList();
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any detail, Class<T> type) {
    try {
      return detail.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
