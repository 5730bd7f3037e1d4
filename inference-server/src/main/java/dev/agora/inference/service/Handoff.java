package dev.agora.inference.service;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Moves blocking work off the transport thread onto the server's bounded executor and completes the
 * response observer from there. A full queue is answered at once with {@code LIMIT_EXCEEDED} and a
 * retry delay; any failure becomes the mapped gRPC status.
 */
final class Handoff {
  private static final Duration RETRY_WHEN_BUSY = Duration.ofMillis(50);

  private final Executor executor;

  Handoff(Executor executor) {
    this.executor = executor;
  }

  /** Computes a unary answer on the executor. */
  <T> void unary(StreamObserver<T> observer, Supplier<T> work) {
    submit(
        observer,
        () -> {
          T response = work.get();
          observer.onNext(response);
          observer.onCompleted();
        });
  }

  /**
   * Starts asynchronous work on the executor and answers when its future completes, mapping the
   * result with {@code answer}.
   */
  <R, T> void async(
      StreamObserver<T> observer, Supplier<CompletableFuture<R>> work, Function<R, T> answer) {
    submit(observer, () -> inline(observer, work, answer));
  }

  /**
   * Starts asynchronous work on the calling thread, which must be allowed to block (a gRPC
   * application thread, never a transport thread), and answers when its future completes.
   */
  <R, T> void inline(
      StreamObserver<T> observer, Supplier<CompletableFuture<R>> work, Function<R, T> answer) {
    CompletableFuture<R> started;
    try {
      started = work.get();
    } catch (RuntimeException failure) {
      observer.onError(ErrorStatus.toStatusException(failure));
      return;
    }
    if (started.isDone()) {
      // Answered while starting (the model ran on this thread): no callback to register.
      R result;
      try {
        result = started.join();
      } catch (CompletionException | CancellationException failure) {
        observer.onError(ErrorStatus.toStatusException(unwrap(failure)));
        return;
      }
      answer(observer, answer, result);
      return;
    }
    started.whenComplete(
        (result, failure) -> {
          if (failure != null) {
            observer.onError(ErrorStatus.toStatusException(unwrap(failure)));
          } else {
            answer(observer, answer, result);
          }
        });
  }

  private static <R, T> void answer(StreamObserver<T> observer, Function<R, T> answer, R result) {
    observer.onNext(answer.apply(result));
    observer.onCompleted();
  }

  /** Runs {@code work} on the executor; if it throws, the observer gets the mapped error. */
  void submit(StreamObserver<?> observer, Runnable work) {
    try {
      executor.execute(
          () -> {
            try {
              work.run();
            } catch (RuntimeException failure) {
              observer.onError(ErrorStatus.toStatusException(failure));
            }
          });
    } catch (RejectedExecutionException full) {
      observer.onError(ErrorStatus.toStatusException(busy()));
    }
  }

  /**
   * Runs {@code work} on the executor.
   *
   * @throws RejectedExecutionException when the queue is full
   */
  void execute(Runnable work) {
    executor.execute(work);
  }

  static AgoraException busy() {
    return AgoraException.builder(
            ErrorReason.LIMIT_EXCEEDED,
            "The inference server has more requests waiting than it accepts; retry shortly.")
        .retryDelay(RETRY_WHEN_BUSY)
        .build();
  }

  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
