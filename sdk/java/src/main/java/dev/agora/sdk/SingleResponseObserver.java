package dev.agora.sdk;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** Completes a future with the single response of a client-streaming call. */
final class SingleResponseObserver<T> implements StreamObserver<T> {
  private final CompletableFuture<T> result;

  SingleResponseObserver(CompletableFuture<T> result) {
    this.result = result;
  }

  @Override
  public void onNext(T value) {
    result.complete(value);
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    if (!result.isDone()) {
      result.completeExceptionally(new IllegalStateException("the server sent no response"));
    }
  }
}
