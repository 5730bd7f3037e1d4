package dev.agora.benchmarks.load;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One unary call, sent again and again: a {@code ModelInfer} request to Agora or the same bytes to
 * the echo. Calls are asynchronous; the listener gets the final status on a transport thread.
 */
final class CallTarget<Q, R> {
  private final Channel channel;
  private final MethodDescriptor<Q, R> method;
  private final Q request;
  private final Duration deadline;

  CallTarget(Channel channel, MethodDescriptor<Q, R> method, Q request, Duration deadline) {
    this.channel = channel;
    this.method = method;
    this.request = request;
    this.deadline = deadline;
  }

  /** Sends the request; {@code done} receives OK or the failure's status, exactly once. */
  void call(Consumer<Status> done) {
    CallOptions options =
        CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    ClientCalls.asyncUnaryCall(
        channel.newCall(method, options),
        request,
        new StreamObserver<R>() {
          @Override
          public void onNext(R value) {}

          @Override
          public void onError(Throwable t) {
            done.accept(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            done.accept(Status.OK);
          }
        });
  }
}
