package dev.agora.ratelimit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Checks a failed call's status code and {@code ErrorInfo.reason}. */
final class StatusAssertions {
  private StatusAssertions() {}

  static StatusRuntimeException assertRefused(
      ThrowingCallable call, Status.Code code, String reason) {
    StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
    assertThat(failure).as("the call should fail with %s", code).isNotNull();
    assertThat(failure.getStatus().getCode()).isEqualTo(code);
    assertThat(reason(failure)).isEqualTo(reason);
    return failure;
  }

  static String reason(StatusRuntimeException failure) {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    if (status == null) {
      return "";
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    return "";
  }
}
