package dev.agora.registry.service;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Optional;

/** Reads the google.rpc details a failed call carries. */
final class StatusDetails {

  private StatusDetails() {}

  /** The {@code ErrorInfo.reason}, or empty when the status has none. */
  static String reason(StatusRuntimeException e) {
    return detail(e, ErrorInfo.class).map(ErrorInfo::getReason).orElse("");
  }

  static List<String> violatedFields(StatusRuntimeException e) {
    return detail(e, BadRequest.class)
        .map(
            badRequest ->
                badRequest.getFieldViolationsList().stream()
                    .map(BadRequest.FieldViolation::getField)
                    .toList())
        .orElse(List.of());
  }

  static Optional<PreconditionFailure> preconditionFailure(StatusRuntimeException e) {
    return detail(e, PreconditionFailure.class);
  }

  private static <T extends com.google.protobuf.Message> Optional<T> detail(
      StatusRuntimeException e, Class<T> type) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return Optional.empty();
    }
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return Optional.of(any.unpack(type));
        } catch (InvalidProtocolBufferException ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    return Optional.empty();
  }
}
