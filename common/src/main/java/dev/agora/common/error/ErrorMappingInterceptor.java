package dev.agora.common.error;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a call with the mapped status when a service method throws instead of calling {@code
 * onError}, so no exception reaches the wire as {@code UNKNOWN}.
 */
public final class ErrorMappingInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    AtomicBoolean closed = new AtomicBoolean();
    ServerCall<Q, R> guarded =
        new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(io.grpc.Status status, Metadata trailers) {
            if (closed.compareAndSet(false, true)) {
              super.close(status, trailers);
            }
          }
        };
    ServerCall.Listener<Q> delegate = next.startCall(guarded, headers);
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        guard(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        guard(super::onHalfClose);
      }

      @Override
      public void onReady() {
        guard(super::onReady);
      }

      private void guard(Runnable step) {
        try {
          step.run();
        } catch (RuntimeException e) {
          StatusRuntimeException mapped = ErrorStatus.toStatusException(e);
          Metadata trailers = mapped.getTrailers() == null ? new Metadata() : mapped.getTrailers();
          guarded.close(mapped.getStatus(), trailers);
        }
      }
    };
  }
}
