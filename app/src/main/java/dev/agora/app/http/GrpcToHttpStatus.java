package dev.agora.app.http;

import io.grpc.Status;

/** The HTTP status for a gRPC failure, following Triton's REST mapping where it has one. */
final class GrpcToHttpStatus {
  private GrpcToHttpStatus() {}

  static int of(Status.Code code) {
    return switch (code) {
      case NOT_FOUND -> 404;
      case UNAVAILABLE -> 503;
      case UNIMPLEMENTED -> 501;
      case INTERNAL, UNKNOWN, DATA_LOSS -> 500;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED -> 429;
      case DEADLINE_EXCEEDED -> 504;
      case ALREADY_EXISTS, ABORTED -> 409;
      case FAILED_PRECONDITION -> 412;
      default -> 400;
    };
  }
}
