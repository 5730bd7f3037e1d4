package dev.agora.sdk;

import com.google.rpc.ErrorInfo;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.Optional;

/**
 * A failed Agora call: the gRPC status code, the server's sentence and the closed {@link
 * ErrorReason} read from the status's {@code google.rpc.ErrorInfo}, never from the message text.
 */
public final class AgoraClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final ErrorReason reason;
  private final transient Map<String, String> metadata;

  AgoraClientException(Status.Code code, ErrorReason reason, String message, Throwable cause) {
    this(code, reason, Map.of(), message, cause);
  }

  private AgoraClientException(
      Status.Code code,
      ErrorReason reason,
      Map<String, String> metadata,
      String message,
      Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  /** Wraps a gRPC failure, extracting the Agora error reason when the server sent one. */
  public static AgoraClientException from(StatusRuntimeException e) {
    Optional<ErrorInfo> info = errorInfo(e);
    return new AgoraClientException(
        e.getStatus().getCode(),
        reasonOf(e),
        info.map(ErrorInfo::getMetadataMap).orElse(Map.of()),
        e.getStatus().getDescription(),
        e);
  }

  static ErrorReason reasonOf(StatusRuntimeException e) {
    try {
      return errorInfo(e)
          .map(info -> ErrorReason.valueOf(info.getReason()))
          .orElse(ErrorReason.ERROR_REASON_UNSPECIFIED);
    } catch (IllegalArgumentException unknown) {
      return ErrorReason.ERROR_REASON_UNSPECIFIED;
    }
  }

  private static Optional<ErrorInfo> errorInfo(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return Optional.empty();
    }
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return Optional.of(detail.unpack(ErrorInfo.class));
        } catch (com.google.protobuf.InvalidProtocolBufferException unreadable) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  public Status.Code code() {
    return code;
  }

  public ErrorReason reason() {
    return reason;
  }

  /**
   * The server's {@code ErrorInfo} metadata, e.g. {@code model} or, for RESYNC_REQUIRED, {@code
   * current_revision}; empty when it sent none.
   */
  public Map<String, String> metadata() {
    return metadata;
  }
}
