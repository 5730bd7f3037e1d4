package dev.agora.inference.batching;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import java.time.Duration;

/**
 * The ways a scheduler refuses a job without running it. Dropped jobs carry the gRPC status the
 * caller would get anyway ({@code DEADLINE_EXCEEDED}, {@code CANCELLED}); Agora's error reasons
 * have no code for them.
 */
final class JobFailures {
  private static final Duration RETRY_WHEN_BUSY = Duration.ofMillis(50);

  private JobFailures() {}

  static RuntimeException expired() {
    return Status.DEADLINE_EXCEEDED
        .withDescription(
            "The request's deadline passed while it waited to run; the model did not run it.")
        .asRuntimeException();
  }

  static RuntimeException cancelled() {
    return Status.CANCELLED
        .withDescription("The caller cancelled the request before it ran.")
        .asRuntimeException();
  }

  static AgoraException busy() {
    return AgoraException.builder(
            ErrorReason.LIMIT_EXCEEDED,
            "The inference server's execution pool is full; retry shortly.")
        .retryDelay(RETRY_WHEN_BUSY)
        .build();
  }
}
