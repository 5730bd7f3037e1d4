package dev.agora.sdk;

import com.google.rpc.ErrorInfo;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * A failed Agora call: the gRPC status code, the server's sentence and the closed {@link
 * ErrorReason} read from the status's {@code google.rpc.ErrorInfo}, never from the message text.
 */
public final class AgoraClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final ErrorReason reason;

  AgoraClientException(Status.Code code, ErrorReason reason, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
  }

  /** Wraps a gRPC failure, extracting the Agora error reason when the server sent one. */
  public static AgoraClientException from(StatusRuntimeException e) {
    return new AgoraClientException(
        e.getStatus().getCode(), reasonOf(e), e.getStatus().getDescription(), e);
  }

  static ErrorReason reasonOf(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return ErrorReason.ERROR_REASON_UNSPECIFIED;
    }
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          String reason = detail.unpack(ErrorInfo.class).getReason();
          return ErrorReason.valueOf(reason);
        } catch (com.google.protobuf.InvalidProtocolBufferException
            | IllegalArgumentException unknown) {
          return ErrorReason.ERROR_REASON_UNSPECIFIED;
        }
      }
    }
    return ErrorReason.ERROR_REASON_UNSPECIFIED;
  }

  public Status.Code code() {
    return code;
  }

  public ErrorReason reason() {
    return reason;
  }
}
