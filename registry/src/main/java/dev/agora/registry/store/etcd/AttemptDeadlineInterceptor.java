package dev.agora.registry.store.etcd;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary etcd call a deadline, which jetcd does not set. Without one, an attempt that
 * {@link EtcdCalls} gave up on would stay in flight until the connection died. Watch streams are
 * long-lived and left alone.
 */
final class AttemptDeadlineInterceptor implements ClientInterceptor {
  private final long timeoutNanos;

  AttemptDeadlineInterceptor(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
      return next.newCall(method, options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS));
    }
    return next.newCall(method, options);
  }
}
