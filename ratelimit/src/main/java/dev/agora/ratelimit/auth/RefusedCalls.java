package dev.agora.ratelimit.auth;

import dev.agora.common.error.ErrorStatus;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;

/** Ends a call that an interceptor refuses, with Agora's error mapping. */
public final class RefusedCalls {

  private RefusedCalls() {}

  /**
   * Closes {@code call} with the status {@code failure} maps to, and returns a listener that
   * ignores whatever the client still sends.
   */
  public static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Throwable failure) {
    close(call, failure);
    return new ServerCall.Listener<>() {};
  }

  /** Closes {@code call} with the status {@code failure} maps to. */
  public static void close(ServerCall<?, ?> call, Throwable failure) {
    StatusRuntimeException mapped = ErrorStatus.toStatusException(failure);
    Metadata trailers = mapped.getTrailers() == null ? new Metadata() : mapped.getTrailers();
    call.close(mapped.getStatus(), trailers);
  }
}
