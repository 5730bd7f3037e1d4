package dev.agora.inference.catalog;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * Turns a failed registry call into an {@link AgoraException}, keeping the registry's reason (from
 * its {@code ErrorInfo}) and sentence so callers see why, e.g. {@code MODEL_NOT_FOUND}.
 */
final class RegistryErrors {
  private RegistryErrors() {}

  static AgoraException toAgora(StatusRuntimeException failure) {
    Status status = failure.getStatus();
    ErrorReason reason = remoteReason(failure);
    if (reason == null) {
      reason = fallbackReason(status.getCode());
    }
    String description = status.getDescription();
    String message =
        reason == ErrorReason.STORE_UNAVAILABLE || description == null || description.isBlank()
            ? "The model registry could not answer (" + status.getCode() + "); try again later."
            : description;
    return AgoraException.builder(reason, message).cause(failure).build();
  }

  private static ErrorReason remoteReason(StatusRuntimeException failure) {
    com.google.rpc.Status rpcStatus = StatusProto.fromThrowable(failure);
    if (rpcStatus == null) {
      return null;
    }
    for (Any detail : rpcStatus.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          if (ErrorStatus.DOMAIN.equals(info.getDomain())) {
            return parse(info.getReason());
          }
        } catch (InvalidProtocolBufferException malformed) {
          return null;
        }
      }
    }
    return null;
  }

  private static ErrorReason parse(String name) {
    try {
      ErrorReason reason = ErrorReason.valueOf(name);
      return reason == ErrorReason.ERROR_REASON_UNSPECIFIED || reason == ErrorReason.UNRECOGNIZED
          ? null
          : reason;
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  private static ErrorReason fallbackReason(Status.Code code) {
    return switch (code) {
      case NOT_FOUND -> ErrorReason.MODEL_NOT_FOUND;
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED ->
          ErrorReason.STORE_UNAVAILABLE;
      case INVALID_ARGUMENT -> ErrorReason.INVALID_FIELD;
      case PERMISSION_DENIED -> ErrorReason.PERMISSION_DENIED;
      case UNAUTHENTICATED -> ErrorReason.UNAUTHENTICATED;
      default -> ErrorReason.INTERNAL_ERROR;
    };
  }
}
